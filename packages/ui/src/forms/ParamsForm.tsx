import Form from '@rjsf/core';
import type { RJSFSchema } from '@rjsf/utils';
import { customizeValidator } from '@rjsf/validator-ajv8';
import type { JsonObject } from '@stepwise/core/model';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { memo, useMemo } from 'react';
import type { FieldErrors } from '../graph/issues.js';
import type { StepFormContext } from './form-context.js';
import { type UiSchema, uiSchemaFor } from './ui-schema.js';
import { stepWidgets } from './widgets.js';

// The catalog's schemas are JSON Schema 2020-12 (zod's output), so ajv's 2020 dialect checks them.
const validator = customizeValidator({ AjvClass: Ajv2020 as never });

/** A JSON Schema form for one object value (a step's params, or its strategy). */
export interface SchemaFormProps {
  /** Makes field ids unique (`<idPrefix>_<field>`), so an issue click can focus the field. */
  idPrefix: string;
  schema: Record<string, unknown>;
  value: JsonObject;
  /**
   * Called with the whole new value (defaults filled in) and the id of the field the person changed.
   * Reports with no field behind them (the defaults rjsf derives when it mounts) are not edits.
   */
  onChange: (value: JsonObject, field: string) => void;
  /** Errors from the server's validation, shown at their fields. */
  errors?: FieldErrors | undefined;
  context?: StepFormContext | undefined;
  /** Overrides of the uiSchema made from the schema. */
  uiSchema?: UiSchema | undefined;
}

/**
 * A form generated from a JSON Schema (@rjsf/core with its ajv validator): defaults filled in,
 * descriptions as help, the schema's own errors shown live and the server's at their fields.
 */
export const SchemaForm = memo(function SchemaForm({
  idPrefix,
  schema,
  value,
  onChange,
  errors,
  context,
  uiSchema,
}: SchemaFormProps) {
  const ui = useMemo(() => ({ ...uiSchemaFor(schema), ...uiSchema }), [schema, uiSchema]);
  return (
    <Form
      schema={schema as RJSFSchema}
      uiSchema={ui}
      formData={value}
      validator={validator}
      widgets={stepWidgets}
      formContext={context ?? {}}
      {...(errors ? { extraErrors: errors as never } : {})}
      idPrefix={idPrefix}
      liveValidate="onChange"
      showErrorList={false}
      noHtml5Validate
      onChange={(event, id) => id !== undefined && onChange((event.formData ?? {}) as JsonObject, id)}
    />
  );
});
