/** The folder `llmops confs schema` writes to by default, and the shipped YAML files point to. */
export const defaultSchemaFolder = 'confs/schemas';
