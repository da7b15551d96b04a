// Validates a JSON Resume document against the official schema package (@jsonresume/schema,
// with its own validator). Usage: node validate-resume.mjs FILE. Prints the errors; exits 0
// only when the document is valid.

import {readFileSync} from 'node:fs';
import resumeSchema from '@jsonresume/schema';

const resume = JSON.parse(readFileSync(process.argv[2], 'utf8'));
resumeSchema.validate(resume, (errors, valid) => {
  console.log(JSON.stringify({valid, errors: (errors || []).map(e => e.stack)}, null, 2));
  process.exit(valid ? 0 : 1);
});
