/** One message of a Server-Sent Events stream: its `id:` (when it has one) and its `data:` lines joined. */
export interface SseMessage {
  id?: string;
  event?: string;
  data: string;
}

/**
 * A Server-Sent Events parser fed text as it arrives (chunks may split lines anywhere): answers the
 * messages each chunk completes. Comment lines (`: keep-alive`) are skipped; `\r\n`, `\r` and `\n`
 * all end a line, as the EventSource standard says.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #id: string | undefined;
  #event: string | undefined;

  /** The messages completed by `chunk`. */
  push(chunk: string): SseMessage[] {
    this.#buffer += chunk;
    const messages: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.#buffer);
      // a lone \r at the end may be the first half of \r\n: wait for the next chunk
      if (match === null || (match[0] === '\r' && match.index === this.#buffer.length - 1)) break;
      const line = this.#buffer.slice(0, match.index);
      this.#buffer = this.#buffer.slice(match.index + match[0].length);
      const message = this.#line(line);
      if (message !== undefined) messages.push(message);
    }
    return messages;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') {
      if (this.#data.length === 0) return undefined;
      const message: SseMessage = { data: this.#data.join('\n') };
      if (this.#id !== undefined) message.id = this.#id;
      if (this.#event !== undefined) message.event = this.#event;
      this.#data = [];
      this.#event = undefined;
      return message;
    }
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') this.#data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.#id = value;
    else if (field === 'event') this.#event = value;
    return undefined;
  }
}
