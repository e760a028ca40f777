/** The editor's own widgets for step parameters. */
export type StepWidget = 'column' | 'columns' | 'expression' | 'path' | 'textarea';

/**
 * The JSON Schema keyword a step library may set on a parameter to choose its widget, e.g. with zod:
 * `z.array(z.string()).meta({ 'x-stepwise-widget': 'columns' })`.
 */
export const WIDGET_KEYWORD = 'x-stepwise-widget';

type Schema = Record<string, unknown>;
/** An rjsf uiSchema: per property, `ui:` options. */
export type UiSchema = { [key: string]: unknown };

const WIDGETS: ReadonlySet<string> = new Set(['column', 'columns', 'expression', 'path', 'textarea']);
const COLUMN_LISTS = new Set(['columns', 'groupBy', 'by']);

function isStringArray(schema: Schema): boolean {
  const items = schema.items as Schema | undefined;
  return schema.type === 'array' && items?.type === 'string';
}

/**
 * The widget a parameter gets: the one its schema names with {@link WIDGET_KEYWORD}, else one the
 * table step library's conventions imply (a string `path` is a file under the data root; a string
 * described as an expression gets the expression editor; a list named `columns`/`groupBy`/`by`, or
 * described as columns, gets the column picker; a `column` string picks one column; `query` is
 * multi-line). Undefined for the plain widget.
 */
export function widgetFor(name: string, schema: Schema): StepWidget | undefined {
  const named = schema[WIDGET_KEYWORD];
  if (typeof named === 'string' && WIDGETS.has(named)) return named as StepWidget;
  const description = typeof schema.description === 'string' ? schema.description : '';
  if (schema.type === 'string') {
    if (name === 'path') return 'path';
    if (/\bexpression\b/i.test(description)) return 'expression';
    if (name === 'column') return 'column';
    if (name === 'query') return 'textarea';
  }
  if (isStringArray(schema) && (COLUMN_LISTS.has(name) || /^the columns?\b/i.test(description))) return 'columns';
  return undefined;
}

/**
 * The rjsf uiSchema for a step's params: widgets chosen by {@link widgetFor} for every property, in
 * nested objects, array items and map values too, and no submit button (edits apply as you type).
 */
export function uiSchemaFor(schema: Schema): UiSchema {
  return { ...objectUi(schema), 'ui:submitButtonOptions': { norender: true } };
}

function objectUi(schema: Schema): UiSchema {
  const ui: UiSchema = {};
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [name, property] of Object.entries(properties)) {
    const inner = propertyUi(name, property);
    if (inner) ui[name] = inner;
  }
  const values = schema.additionalProperties;
  if (values && typeof values === 'object') {
    const inner = propertyUi('', values as Schema);
    if (inner) ui.additionalProperties = inner;
  }
  return ui;
}

function propertyUi(name: string, schema: Schema): UiSchema | undefined {
  const widget = widgetFor(name, schema);
  if (widget) return { 'ui:widget': widget };
  if (schema.type === 'object') return nonEmpty(objectUi(schema));
  const items = schema.items as Schema | undefined;
  if (schema.type === 'array' && items?.type === 'object') {
    const inner = nonEmpty(objectUi(items));
    return inner ? { items: inner } : undefined;
  }
  return undefined;
}

function nonEmpty(ui: UiSchema): UiSchema | undefined {
  return Object.keys(ui).length > 0 ? ui : undefined;
}
