/** Note analysis through the dispatcher: the answer's shape and its audit event with the NER model's version. */
import { describe, expect, it } from 'vitest';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';
import { readNlpManifest } from '../../../models/runtime/nlp/nlpModels';

const t = appPerTest();
const { ok } = dispatchTestClient(() => t.app);

describe('analyseNote', () => {
  it('audits the run with the disease-ner version and sha256 and the versions of every NLP artefact', async () => {
    await ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
    const text = '既往史：高血压。Denies SOB. Return if fever develops.';
    const r = await ok('analyseNote', { text, offset: 100 });
    expect(r.entities.map((e) => [e.text, e.assertion])).toEqual([
      ['高血压', 'historical'],
      ['SOB', 'absent'],
      ['fever', 'hypothetical'],
    ]);
    // offsets come back in note coordinates; the hypothetical fever is listed but not entered
    expect(r.entities[1]!.start).toBe(100 + text.indexOf('SOB'));
    expect(r.findings.find((f) => f.text === 'fever')).toMatchObject({ state: 'unknown', assertion: 'hypothetical' });
    const { store } = t.app.session.require();
    const row = store.db.prepare("SELECT model_id, model_version, model_sha256, detail FROM audit_events WHERE action = 'model.run'").get() as {
      model_id: string;
      model_version: string | null;
      model_sha256: string | null;
      detail: string;
    };
    const ner = readNlpManifest().find((e) => e.id === 'disease-ner')!;
    expect(row).toMatchObject({ model_id: 'disease-ner', model_version: ner.version, model_sha256: ner.sha256 });
    const alsoRan = (JSON.parse(row.detail) as { alsoRan: string[] }).alsoRan;
    expect(alsoRan).toHaveLength(4);
    for (const a of alsoRan) expect(a).toMatch(/^[a-z-]+@\d+\.\d+\.\d+$/);
  });
});
