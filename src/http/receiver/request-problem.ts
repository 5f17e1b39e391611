// A request the receiver will not take, with the status that says why; error-responses.ts answers it.

export class RequestProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}
