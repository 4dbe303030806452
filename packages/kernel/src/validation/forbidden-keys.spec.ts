import { forbiddenKeyPath } from './forbidden-keys.js';

describe('forbiddenKeyPath', () => {
  it('answers undefined for values without a forbidden key, however nested, and for scalars', () => {
    const chat = JSON.parse(
      '{"model":"m@champion","messages":[{"role":"user","content":[{"type":"text","text":"constructor __proto__"}]}],' +
        '"metadata":{"constructor":"a string is harmless","tags":[[1,null,{"deep":{"deeper":true}}]]}}',
    ) as unknown;
    expect(forbiddenKeyPath(chat)).toBeUndefined();
    expect(forbiddenKeyPath(null)).toBeUndefined();
    expect(forbiddenKeyPath('__proto__')).toBeUndefined();
    expect(forbiddenKeyPath([])).toBeUndefined();
  });

  it('names the path of an own __proto__ key inside arrays and objects, from the root given', () => {
    const value = JSON.parse('{"messages":[{"role":"user"},{"content":{"__proto__":{"admin":true}}}]}') as unknown;
    expect(forbiddenKeyPath(value)).toBe('messages[1].content.__proto__');
    expect(forbiddenKeyPath(value, 'body')).toBe('body.messages[1].content.__proto__');
    expect(forbiddenKeyPath(JSON.parse('[{"__proto__":1}]'))).toBe('[0].__proto__');
  });

  it('names a constructor object that has a prototype, not a constructor object without one', () => {
    expect(forbiddenKeyPath(JSON.parse('{"a":{"constructor":{"prototype":{"x":1}}}}'))).toBe('a.constructor.prototype');
    expect(forbiddenKeyPath(JSON.parse('{"a":{"constructor":{"name":"x"}}}'))).toBeUndefined();
  });
});
