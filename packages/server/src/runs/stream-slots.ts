import { HttpError } from '../http-error.js';

/** Open event streams, counted in all and per client address, each within its cap. */
export class StreamSlots {
  readonly #total: number;
  readonly #perClient: number;
  readonly #byClient = new Map<string, number>();
  #open = 0;

  constructor(total: number, perClient: number) {
    this.#total = total;
    this.#perClient = perClient;
  }

  /** Streams open now. */
  get open(): number {
    return this.#open;
  }

  /**
   * Takes a slot for `client`; the answer gives it back (once, however often it is called).
   * @throws HttpError 429 `TOO_MANY_STREAMS` with Retry-After when a cap is reached
   */
  take(client: string): () => void {
    const mine = this.#byClient.get(client) ?? 0;
    if (this.#open >= this.#total || mine >= this.#perClient)
      throw new HttpError(
        429,
        'TOO_MANY_STREAMS',
        mine >= this.#perClient
          ? `This client has ${mine} event streams open, the most it may; close one first.`
          : `The server has ${this.#open} event streams open, the most it serves; try again later.`,
        { headers: { 'retry-after': '5' } },
      );
    this.#open += 1;
    this.#byClient.set(client, mine + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open -= 1;
      const left = (this.#byClient.get(client) ?? 1) - 1;
      if (left === 0) this.#byClient.delete(client);
      else this.#byClient.set(client, left);
    };
  }
}
