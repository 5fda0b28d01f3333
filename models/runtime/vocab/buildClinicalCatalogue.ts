/**
 * Builds models/artefacts/vocab/clinicalCatalogue.json from ../shared/data/vocab/lab-reference-ranges.csv
 * (or $LANTERN_DATA_DIR/vocab/...). Deterministic.
 *
 *   npm run build:catalogue
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { parseCsvRecords } from '../common/csv';
import { findProjectRoot, resolveDataDir } from '../common/paths';
import { buildCatalogue, type CsvRow } from './catalogueSpec';

export const CATALOGUE_SOURCE = {
  file: 'vocab/lab-reference-ranges.csv',
  origin: 'NLM Lister Hill National Center for Biomedical Communications, flowsheet-lhc (one institution’s ranges)',
  licence: 'BSD-style (NLM LHNCBC) + LOINC terms of use; see lab-reference-ranges.LICENSE.md',
  attribution:
    'This material contains content from LOINC (http://loinc.org). LOINC is copyright © Regenstrief Institute, Inc. ' +
    'and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the ' +
    'license at http://loinc.org/license. LOINC® is a registered United States trademark of Regenstrief Institute, Inc.',
};

function main(): void {
  const root = findProjectRoot(__dirname);
  const csvFile = path.join(resolveDataDir(__dirname), 'vocab', 'lab-reference-ranges.csv');
  if (!fs.existsSync(csvFile)) {
    console.error(`not found: ${csvFile} (set LANTERN_DATA_DIR or place ../shared/data beside the project)`);
    process.exit(2);
  }
  const bytes = fs.readFileSync(csvFile);
  const { records } = parseCsvRecords(bytes.toString('utf8'));
  const built = buildCatalogue(records as unknown as CsvRow[]);
  const out = {
    source: { ...CATALOGUE_SOURCE, sha256: createHash('sha256').update(bytes).digest('hex') },
    vitals: built.vitals,
    labs: built.labs,
    missingLabs: built.missingLabs,
    provenance: built.provenance,
  };
  const outFile = path.join(root, 'models', 'artefacts', 'vocab', 'clinicalCatalogue.json');
  fs.writeFileSync(outFile, JSON.stringify(out, null, 2) + '\n');
  console.log(
    `wrote ${path.relative(root, outFile)}: ${built.vitals.length} vitals, ${built.labs.length} labs` +
      (built.missingLabs.length ? ` (not in CSV: ${built.missingLabs.join(', ')})` : ''),
  );
}

if (require.main === module) main();
