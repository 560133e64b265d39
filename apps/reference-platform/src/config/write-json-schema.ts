/** Writes keelson.config.schema.json from the config schema (run by the app's build). */
import * as fs from 'fs';
import { configJsonSchemaText, JSON_SCHEMA_FILE } from './json-schema';

const text = configJsonSchemaText();
if (!fs.existsSync(JSON_SCHEMA_FILE) || fs.readFileSync(JSON_SCHEMA_FILE, 'utf8') !== text) fs.writeFileSync(JSON_SCHEMA_FILE, text);
