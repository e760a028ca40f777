import { describe, expect, it } from 'vitest';
import { SseParser } from './event-stream.js';

describe('SseParser', () => {
  it('answers each message with its id and data, skipping comments', () => {
    const parser = new SseParser();
    expect(
      parser.push(': stepwise run events\n\nid: 1\ndata: {"seq":1}\n\n: keep-alive\n\nid: 2\ndata: {"seq":2}\n\n'),
    ).toEqual([
      { id: '1', data: '{"seq":1}' },
      { id: '2', data: '{"seq":2}' },
    ]);
  });

  it('joins a message split across chunks anywhere, \\r\\n included', () => {
    const parser = new SseParser();
    const text = 'id: 7\r\ndata: {"a":\r\ndata: 1}\r\n\r\nid: 8\ndata: x\n\n';
    const messages = [...text].flatMap((char) => parser.push(char));
    expect(messages).toEqual([
      { id: '7', data: '{"a":\n1}' },
      { id: '8', data: 'x' },
    ]);
  });

  it('keeps the last id for a message without one, and answers nothing for a message without data', () => {
    const parser = new SseParser();
    expect(parser.push('id: 3\n\ndata: y\n\n')).toEqual([{ id: '3', data: 'y' }]);
  });
});
