// A strict XML well-formedness check for the badges, written here because no XML parser is among the dependencies
// (htmlparser2 forgives what a browser's SVG loader refuses). It accepts the subset an SVG badge uses: one root
// element, nested elements with quoted attributes, text, and the five named or numeric character references; it
// throws on anything else (an unescaped `<` or `&`, a mismatched end tag, a duplicate attribute, a stray character).

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, references decoded. */
  text: string;
}

const NAME = '[A-Za-z_][\\w.:-]*';
const START_TAG = new RegExp(`^<(${NAME})((?:\\s+${NAME}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>`);
const ATTRIBUTE = new RegExp(`(${NAME})\\s*=\\s*(?:"([^"<]*)"|'([^'<]*)')`, 'g');
const END_TAG = new RegExp(`^</(${NAME})\\s*>`);
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(source: string): XmlElement {
  let rest = source.replace(/^<\?xml[^?]*\?>\s*/, '').trim();
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (rest.length > 0) {
    const end = END_TAG.exec(rest);
    if (end) {
      const open = stack.pop();
      if (open?.name !== end[1]) throw new Error(`end tag </${end[1]}> does not close <${open?.name ?? 'nothing'}>`);
      rest = rest.slice(end[0].length);
      continue;
    }
    const start = START_TAG.exec(rest);
    if (start) {
      if (stack.length === 0 && root) throw new Error('more than one root element');
      const element: XmlElement = { name: start[1]!, attributes: attributesOf(start[2] ?? ''), children: [], text: '' };
      if (stack.length === 0) root = element;
      else stack[stack.length - 1]!.children.push(element);
      if (start[3] !== '/') stack.push(element);
      rest = rest.slice(start[0].length);
      continue;
    }
    if (rest.startsWith('<')) throw new Error(`malformed markup at: ${rest.slice(0, 40)}`);
    const textEnd = rest.indexOf('<') === -1 ? rest.length : rest.indexOf('<');
    const text = decode(rest.slice(0, textEnd));
    if (stack.length === 0) {
      if (text.trim() !== '') throw new Error(`text outside the root element: ${text.slice(0, 40)}`);
    } else stack[stack.length - 1]!.text += text;
    rest = rest.slice(textEnd);
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** Every element of the tree, depth first. */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}

function attributesOf(source: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of source.matchAll(ATTRIBUTE)) {
    const name = match[1]!;
    if (name in attributes) throw new Error(`attribute ${name} given twice`);
    attributes[name] = decode(match[2] ?? match[3] ?? '');
  }
  return attributes;
}

function decode(text: string): string {
  return text.replace(/&([^;\s]*);?/g, (whole, body: string) => {
    if (!whole.endsWith(';')) throw new Error(`unescaped & in: ${text.slice(0, 40)}`);
    if (body in NAMED) return NAMED[body]!;
    const numeric = /^#(?:x([0-9a-fA-F]+)|(\d+))$/.exec(body);
    if (!numeric) throw new Error(`unknown entity &${body};`);
    return String.fromCodePoint(numeric[1] === undefined ? Number(numeric[2]) : parseInt(numeric[1], 16));
  });
}
