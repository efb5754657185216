// Writes GitLab's CI schema (app/assets/javascripts/editor/schema/ci.json in GitLab, the schema of
// GitLab's own pipeline editor) as JSON. gitlab-ci-local validates every .gitlab-ci.yml against its
// copy of that file and bundles it into dist/index.js as an object literal; this takes it out of
// the installed package, whose version package.json pins, so that ajv can check files with it.
// usage: node gitlab-schema.cjs node_modules/gitlab-ci-local/dist/index.js OUT.json
'use strict';
const fs = require('fs');

const [bundleFile, outFile] = process.argv.slice(2);
const bundle = fs.readFileSync(bundleFile, 'utf8');
const marker = '{$schema:"http://json-schema.org/draft-07/schema#",$id:"https://gitlab.com/.gitlab-ci.yml"';
const start = bundle.indexOf(marker);
if (start < 0 || bundle.indexOf(marker, start + 1) >= 0) {
    console.error(`${bundleFile}: GitLab's CI schema is not where this script looks for it (once, as ${marker}...); `
        + 'was gitlab-ci-local updated without checking this script?');
    process.exit(2);
}
// The literal ends at the brace that closes the first one; braces inside strings do not count.
let depth = 0;
let quote = null;
let end = start;
for (; end < bundle.length; end++) {
    const c = bundle[end];
    if (quote) {
        if (c === '\\') {
            end++;
        } else if (c === quote) {
            quote = null;
        }
    } else if (c === '"' || c === '\'' || c === '`') {
        quote = c;
    } else if (c === '{' || c === '[') {
        depth++;
    } else if ((c === '}' || c === ']') && --depth === 0) {
        break;
    }
}
// A data literal (strings, numbers, booleans, objects, arrays) of the pinned package, not arbitrary code.
const schema = new Function('return (' + bundle.slice(start, end + 1) + ');')();
if (!schema.definitions || !schema.definitions.job_template || !schema.properties) {
    console.error(`${bundleFile}: what was taken for GitLab's CI schema has no job definitions`);
    process.exit(2);
}
fs.writeFileSync(outFile, JSON.stringify(schema, null, 1) + '\n');
