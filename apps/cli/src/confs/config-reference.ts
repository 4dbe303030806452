/** A JSON Schema as `llmops confs schema` writes it (draft 2020-12, from zod): only what the reference reads. */
interface JsonSchema {
  title?: string;
  description?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

/** One documented field: its path in the file, when it applies, and what may be written there. */
interface FieldRow {
  path: string;
  /** The variant of a union the field belongs to (`kind: rag`), when it is in one. */
  when: string;
  type: string;
  required: boolean;
  defaultValue: string;
  rules: string;
  description: string;
}

/** Text in a table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/** Inline code that survives backticks in the value. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function resolveReference(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  if (schema.$ref === '#') return root;
  const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
  return (name && root.$defs?.[name]) || {};
}

function variantsOf(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

/** How a value of the schema is written: a literal, a choice, a type, a list of a type, a map of a type. */
function typeText(schema: JsonSchema, root: JsonSchema, depth = 0): string {
  const resolved = resolveReference(schema, root);
  if (resolved !== schema) return depth > 3 ? 'object' : typeText(resolved, root, depth + 1);
  if (schema.const !== undefined) return code(JSON.stringify(schema.const));
  if (schema.enum) return schema.enum.map((value) => code(JSON.stringify(value))).join(' or ');
  const variants = variantsOf(schema);
  if (variants) return [...new Set(variants.map((variant) => typeText(variant, root, depth + 1)))].join(' or ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('array')) return `list of ${schema.items ? typeText(schema.items, root, depth + 1) : 'any'}`;
  if (types.includes('object') && typeof schema.additionalProperties === 'object' && !schema.properties)
    return `map of ${typeText(schema.additionalProperties, root, depth + 1)}`;
  return types.length > 0 ? types.join(' or ') : 'any';
}

/** The bounds and patterns a value must meet, in words. */
function rulesText(schema: JsonSchema): string {
  const rules: string[] = [];
  // zod's `int()` bounds every integer by the safe range: not a rule anyone writes against.
  const bounded = (value: number | undefined) => value !== undefined && Math.abs(value) !== Number.MAX_SAFE_INTEGER;
  if (bounded(schema.minimum)) rules.push(`>= ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) rules.push(`> ${schema.exclusiveMinimum}`);
  if (bounded(schema.maximum)) rules.push(`<= ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) rules.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined && schema.minLength > 1) rules.push(`at least ${schema.minLength} characters`);
  if (schema.minLength === 1) rules.push('not empty');
  if (schema.maxLength !== undefined) rules.push(`at most ${schema.maxLength} characters`);
  const items = (count: number) => `${count} ${count === 1 ? 'item' : 'items'}`;
  if (schema.minItems !== undefined) rules.push(`at least ${items(schema.minItems)}`);
  if (schema.maxItems !== undefined) rules.push(`at most ${items(schema.maxItems)}`);
  if (schema.pattern !== undefined) rules.push(`matches ${code(schema.pattern)}`);
  if (schema.format !== undefined) rules.push(`format ${schema.format}`);
  return rules.join(', ');
}

/** The name of a union variant: its discriminating literal (`kind: rag`) when it has one. */
function variantLabel(variant: JsonSchema, index: number): string {
  for (const [name, property] of Object.entries(variant.properties ?? {}))
    if (property.const !== undefined) return `${name}: ${String(property.const)}`;
  return `form ${index + 1}`;
}

/** Every field under `schema`, depth first, in the order the schema lists them. */
function fieldRows(options: {
  schema: JsonSchema;
  root: JsonSchema;
  path: string;
  when: string;
  required: boolean;
  seen: ReadonlySet<JsonSchema>;
}): FieldRow[] {
  const { root, path, when, required } = options;
  const schema = resolveReference(options.schema, root);
  // A recursive schema (a team of agents) is documented once.
  if (options.seen.has(schema)) return [];
  const seen = new Set(options.seen).add(schema);
  const rows: FieldRow[] = [];
  const row: FieldRow = {
    path,
    when,
    type: typeText(options.schema, root),
    required,
    defaultValue: schema.default === undefined ? '' : code(JSON.stringify(schema.default)),
    rules: rulesText(schema),
    description: schema.description ?? '',
  };
  // A list item or map value that says nothing beyond its parent's type (`list of string`) gets no row of its own.
  const saysNothingNew =
    /(\[\]|\.<name>)$/.test(path) && !row.defaultValue && !row.rules && !row.description && !schema.properties;
  if (path !== '' && !saysNothingNew) rows.push(row);
  const prefix = path === '' ? '' : `${path}.`;
  for (const [name, property] of Object.entries(schema.properties ?? {}))
    rows.push(
      ...fieldRows({
        schema: property,
        root,
        path: `${prefix}${name}`,
        when,
        required: schema.required?.includes(name) ?? false,
        seen,
      }),
    );
  if (typeof schema.additionalProperties === 'object')
    rows.push(
      ...fieldRows({ schema: schema.additionalProperties, root, path: `${prefix}<name>`, when, required: false, seen }),
    );
  if (schema.items)
    rows.push(...fieldRows({ schema: schema.items, root, path: `${path}[]`, when, required: false, seen }));
  const variants = variantsOf(schema) ?? [];
  const objectVariants = variants.filter((variant) => resolveReference(variant, root).properties);
  objectVariants.forEach((variant, index) => {
    const resolved = resolveReference(variant, root);
    const label = objectVariants.length > 1 ? variantLabel(resolved, index) : '';
    const nested = [when, label].filter(Boolean).join('; ');
    // The variant's own row would repeat the union's: its fields are what a reader needs.
    rows.push(
      ...fieldRows({ schema: variant, root, path, when: nested, required, seen }).filter((row) => row.path !== path),
    );
  });
  return rows;
}

/** One conf file's section: its title, what it is for, where the JSON Schema is, and its fields in a table. */
function fileSection(file: string, schema: JsonSchema, schemaFolder: string): string {
  const rows = fieldRows({ schema, root: schema, path: '', when: '', required: true, seen: new Set() });
  // Columns no field of the file fills are left out.
  const columns: Array<[string, (row: FieldRow) => string]> = [
    ['Field', (row) => code(row.path)],
    ['When', (row) => row.when],
    ['Type', (row) => row.type],
    ['Required', (row) => (row.required ? 'yes' : 'no')],
    ['Default', (row) => row.defaultValue],
    ['Rules', (row) => row.rules],
    ['Description', (row) => row.description],
  ];
  const shown = columns.filter(([, value]) => rows.some((row) => value(row) !== ''));
  const lines = [
    `## ${schema.title ?? file}`,
    '',
    `${schema.description ?? ''} JSON Schema: \`${schemaFolder}/${file}\`.`,
    '',
    `| ${shown.map(([name]) => name).join(' | ')} |`,
    `| ${shown.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${shown.map(([, value]) => cell(value(row))).join(' | ')} |`),
    '',
  ];
  return lines.join('\n');
}

/**
 * The configuration reference (wiki/Configuration-Reference.md) from the JSON Schemas `llmops confs schema` writes
 * (themselves generated from the zod schemas llmops validates with): one section per file, one table row per field,
 * with its type, whether it is required, its default and its bounds, in the order of `schemas`. The schema of any job is left out: each job
 * kind has its own section.
 */
export function configReference(options: {
  schemas: ReadonlyMap<string, Record<string, unknown>>;
  schemaFolder: string;
  skip?: readonly string[];
}): string {
  // In the order `confSchemas` gives them: job kinds, the model spec, then the deployment files.
  const files = [...options.schemas.keys()].filter((file) => !options.skip?.includes(file));
  return [
    '# Configuration reference',
    '',
    '<!-- Generated by `npx tsx --conditions=@llmops/source tools/docs/config-reference.ts` from the zod schemas;',
    '     do not edit by hand (apps/cli/src/confs/config-reference.spec.ts fails when this page is stale). -->',
    '',
    'Every field of every YAML file llmops reads, generated from the zod schemas it validates them with (the same',
    `JSON Schemas \`llmops confs schema\` writes to \`${options.schemaFolder}/\` for editor completion). What each`,
    'setting does is explained on the pages of its context ([Configuration](Configuration.md) for conf files,',
    'overrides and environment variables; [Serving](Serving.md), [Evaluation](Evaluation.md),',
    '[Registry](Registry.md), [Monitoring](Monitoring.md)). A path `a.b[]` is a list of `b` under `a`; `<name>` is a',
    'key you choose. "When" names the variant of a union the field belongs to. Any string field also accepts',
    '`${env:VAR}` and `${env:VAR:-default}`, resolved when the file is loaded.',
    '',
    ...files.map((file) => fileSection(file, options.schemas.get(file) as JsonSchema, options.schemaFolder)),
  ].join('\n');
}
