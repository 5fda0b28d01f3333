/** `lantern ner` and `lantern negation` over JSON Lines: the shapes checked from outside. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTempDir } from '../../db/testing/tmpStore';
import { negationCommand, nerCommand } from './jsonlCommands';

function roundTrip(lines: unknown[]): { input: string; output: string } {
  const { dir } = makeTempDir();
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return { input, output: join(dir, 'out.jsonl') };
}
const read = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('lantern negation', () => {
  it('answers affirmed, negated, and not-found for a concept absent from the text', async () => {
    const { input, output } = roundTrip([
      { id: 1, text: 'Patient denies chest pain.', concept: 'chest pain' },
      { id: 2, text: 'Chest pain since this morning.', concept: 'chest pain' },
      { id: 3, text: 'Patient denies chest pain.', concept: 'pneumonia' },
      { id: 4, text: '患者否认胸痛。', concept: '胸痛' },
      { id: 5, text: 'no concept field' },
    ]);
    await negationCommand(input, output);
    const out = read(output);
    expect(out.slice(0, 4)).toEqual([
      { id: 1, status: 'negated' },
      { id: 2, status: 'affirmed' },
      { id: 3, status: 'not-found' },
      { id: 4, status: 'negated' },
    ]);
    expect(out[4]).toMatchObject({ id: 5, error: { code: 'VALIDATION_FAILED', field: 'concept' } });
  });
});

describe('lantern ner', () => {
  it('returns diseases and symptoms with the five fields, English and Chinese', async () => {
    const { input, output } = roundTrip([
      { id: 'en', text: 'h/o MI. Denies SOB. Mother has asthma. Return if fever develops.' },
      { id: 'zh', text: '既往史：高血压。患者否认胸痛。' },
    ]);
    await nerCommand(input, output);
    const [en, zh] = read(output) as { id: string; entities: Record<string, unknown>[] }[];
    for (const e of [...en!.entities, ...zh!.entities]) expect(Object.keys(e).sort()).toEqual(['assertion', 'end', 'label', 'start', 'text']);
    const pick = (r: { entities: Record<string, unknown>[] }) => r.entities.map((e) => [e['text'], e['label'], e['assertion']]);
    expect(pick(en!)).toEqual([
      ['MI', 'Disease', 'historical'],
      ['SOB', 'Symptom', 'absent'],
      ['asthma', 'Disease', 'family'],
      ['fever', 'Symptom', 'hypothetical'],
    ]);
    expect(pick(zh!)).toEqual([
      ['高血压', 'Disease', 'historical'],
      ['胸痛', 'Symptom', 'absent'],
    ]);
  });
});
