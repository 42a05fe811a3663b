import { preparedText } from '../../src/core/database/prepared';

describe('preparedText', () => {
  it('names a text once, the same name every time it is built again', () => {
    const first = preparedText(['SELECT id FROM area', 'WHERE id = $1'].join(' '));
    const again = preparedText(['SELECT id FROM area', 'WHERE id = $1'].join(' '));
    expect(again).toBe(first);
    expect(first.name).toMatch(/^kur_[0-9a-f]{24}$/);
    expect(first.text).toBe('SELECT id FROM area WHERE id = $1');
    expect(String(first)).toBe(first.text);
  });

  it('gives each shape of a read a name of its own', () => {
    const plain = preparedText('SELECT id FROM area ORDER BY name LIMIT $1');
    const filtered = preparedText('SELECT id FROM area WHERE status = $1 ORDER BY name LIMIT $2');
    expect(filtered.name).not.toBe(plain.name);
  });
});
