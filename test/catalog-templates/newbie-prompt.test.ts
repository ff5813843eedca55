import { describe, expect, it } from 'vitest';
import { escapeXml, newbiePositive, newbieXml, templateById } from '../../src/catalog/templates/index.js';
import { NEWBIE_SYSTEM_PROMPT } from '../../src/catalog/templates/newbie-prompt.js';

describe('NewBie XML prompt builder', () => {
  it('matches the reference layout: character blocks, blank line, general_tags', () => {
    const xml = newbieXml({
      characters: [{ gender: '1girl', appearance: ['blue hair', 'long hair'], clothing: 'witch hat', expression: ['serious'], position: ['center'] }],
      scene: { count: '1girl', style: ['anime style'], quality: ['masterpiece', 'best quality'] },
    });
    expect(xml).toBe(
      [
        '<character_1>',
        '<n>$character_1$</n>',
        '<gender>1girl</gender>',
        '<appearance>blue hair, long hair</appearance>',
        '<clothing>witch hat</clothing>',
        '<expression>serious</expression>',
        '<position>center</position>',
        '</character_1>',
        '',
        '<general_tags>',
        '<count>1girl</count>',
        '<style>anime style</style>',
        '<quality>masterpiece, best quality</quality>',
        '</general_tags>',
      ].join('\n'),
    );
  });

  it('numbers several characters and escapes XML metacharacters', () => {
    const xml = newbieXml({ characters: [{ name: 'Rem & Ram' }, { name: 'x', action: ['<script>', 'a > b'] }] });
    expect(xml).toContain('<character_1>\n<n>Rem &amp; Ram</n>');
    expect(xml).toContain('<character_2>\n<n>x</n>\n<action>&lt;script&gt;, a &gt; b</action>\n</character_2>');
    expect(escapeXml('<a&b>')).toBe('&lt;a&amp;b&gt;');
  });

  it('wraps the XML and the caption in the template system prompt', () => {
    const text = newbiePositive({ characters: [{ gender: '1girl' }], caption: 'She says "hi" for $5' });
    const [before] = NEWBIE_SYSTEM_PROMPT.split('{user_prompt}');
    expect(text.startsWith(before!)).toBe(true);
    expect(text).toContain('"tags": "\n<character_1>');
    expect(text).toContain('</general_tags>\n",\n"caption": "She says \\"hi\\" for $5"');
    expect(text).not.toContain('{user_prompt}');
    expect(text).not.toContain('{caption}');
  });

  it('the newbie-anime template sends the built text to CLIPTextEncode', () => {
    const template = templateById('newbie-anime');
    const prompt = { characters: [{ gender: '1boy', appearance: ['red hair'] }], caption: 'a boy' };
    const graph = template.build({ prompt });
    const texts = Object.values(graph).filter((n) => n.class_type === 'CLIPTextEncode').map((n) => n.inputs.text);
    expect(texts).toContain(newbiePositive(prompt));
  });
});
