// A request Vigil will not take, with the status that says why and a message naming what to fix. Both roles answer
// it the same way and log it at debug level at most: it is the client's mistake, not the server's.

export class RequestProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}
