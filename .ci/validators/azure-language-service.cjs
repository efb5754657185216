// Runs the Azure Pipelines language service (the engine of Microsoft's azure-pipelines-language-server
// and of its VS Code extension) over azure-pipelines.yml files, as the extension does: the YAML
// structure always, and the Azure Pipelines schema (service-schema.json) when one is given. Every
// diagnostic, error or warning, is a failure.
//
// usage: node azure-language-service.cjs [--schema service-schema.json [--extension-task NAME@N]...] FILE...
//
// --extension-task declares a task that an extension from the Marketplace adds (AWSShellScript@1 of
// the AWS Toolkit): the public schema lists the built-in tasks only (an organization's own schema
// lists its extensions' too), so without it such a step is reported; its inputs are not checked.
'use strict';
const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');
const service = require('azure-pipelines-language-service');

function withExtensionTasks(schema, tasks) {
    const task = schema.definitions && schema.definitions.task;
    if (!task || !task.properties || !task.properties.task || !Array.isArray(task.properties.task.anyOf)
            || !Array.isArray(task.anyOf)) {
        throw new Error('the schema has no task list where service-schema.json keeps it (definitions.task)');
    }
    for (const name of tasks) {
        task.properties.task.anyOf.push({ description: name + ' (an extension\'s task)', enum: [name] });
        task.anyOf.push({ properties: { task: { pattern: '^' + name.replace(/[.@]/g, '\\$&') + '$' }, inputs: { type: 'object' } },
            required: ['task'] });
    }
    return schema;
}

async function main(args) {
    let schemaFile = null;
    const extensionTasks = [];
    while (args.length > 1 && args[0].startsWith('--')) {
        if (args[0] === '--schema') {
            schemaFile = path.resolve(args[1]);
        } else if (args[0] === '--extension-task') {
            extensionTasks.push(args[1]);
        } else {
            break;
        }
        args = args.slice(2);
    }
    if (args.length === 0 || args[0].startsWith('--')) {
        console.error('usage: azure-language-service.cjs [--schema service-schema.json [--extension-task NAME@N]...] FILE...');
        return 2;
    }
    // The service traces its schema look-ups on stdout.
    console.log = () => {};
    const schemaUri = schemaFile && pathToFileURL(schemaFile).href;
    const requestSchema = async (uri) => {
        if (uri !== schemaUri) {
            throw new Error('no schema ' + uri + ' here');
        }
        const schema = withExtensionTasks(JSON.parse(fs.readFileSync(schemaFile, 'utf8')), extensionTasks);
        return service.ParseSchema(JSON.stringify(schema));
    };
    const language = service.getLanguageService(requestSchema, [], null);
    language.configure({ validate: true, schemas: schemaFile ? [{ uri: schemaUri, fileMatch: ['*'] }] : [] });
    let problems = 0;
    for (const file of args) {
        const text = fs.readFileSync(file, 'utf8');
        const document = service.TextDocument.create(pathToFileURL(path.resolve(file)).href, 'azure-pipelines', 1, text);
        const diagnostics = await language.doValidation(document, service.parse(text));
        for (const d of diagnostics) {
            problems++;
            const severity = d.severity === service.DiagnosticSeverity.Error ? 'error' : 'warning';
            console.error(`${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity}: ${d.message.slice(0, 300)}`);
        }
    }
    return problems === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then((status) => process.exit(status), (error) => {
    console.error(error.stack || String(error));
    process.exit(2);
});
