import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../registry/default-registry.js';
import { pack, unpack } from './thread-protocol.js';

const lookup = (name: string) => defaultRegistry.requireDataType(name);

describe('pack and unpack', () => {
  it('moves a list of numbers as one Float64Array buffer', () => {
    const transfer: ArrayBuffer[] = [];
    const packed = pack([1, 2.5, -3], undefined, true, transfer);
    expect(packed.kind).toBe('f64');
    expect(transfer).toHaveLength(1);
    expect(unpack(packed, lookup)).toEqual([1, 2.5, -3]);
    expect(unpack(packed, lookup, { numbersAsView: true })).toEqual(new Float64Array([1, 2.5, -3]));
  });

  it('transfers a Float64Array that spans its buffer, and copies a view into a larger one', () => {
    const whole = new Float64Array([1, 2]);
    const transfer: ArrayBuffer[] = [];
    expect(pack(whole, undefined, true, transfer)).toEqual({ kind: 'f64', buffer: whole.buffer });
    const larger = new Float64Array([1, 2, 3, 4]);
    const view = larger.subarray(1, 3);
    const packed = pack(view, undefined, true, transfer);
    expect(packed.kind === 'f64' && packed.buffer).not.toBe(larger.buffer);
    expect(unpack(packed, lookup)).toEqual([2, 3]);
  });

  it('clones lists with anything but numbers, and empty lists', () => {
    const transfer: ArrayBuffer[] = [];
    expect(pack([1, 'two'], undefined, true, transfer)).toEqual({ kind: 'clone', value: [1, 'two'] });
    expect(pack([], undefined, true, transfer)).toEqual({ kind: 'clone', value: [] });
    expect(pack([1, 2], lookup('JSON'), false, transfer)).toEqual({ kind: 'clone', value: [1, 2] });
    expect(transfer).toHaveLength(0);
  });
});
