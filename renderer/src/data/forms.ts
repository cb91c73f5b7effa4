/**
 * Forms are `@mantine/form` validated by the contract's own zod schemas, so a message
 * exists once (in `shared/`) and the main process parses the same rules again.
 *
 * - `inputSchema(channel, fields)`: the channel's input schema narrowed to the fields a
 *   form shows (the rest — account id, idempotency key — are added at submit).
 * - `contractForm(...)`: `useForm` options with that schema as the validator.
 * - `applyServerErrors(form, error)`: a server `VALIDATION_FAILED` names fields by
 *   path; each one that the form has lands under its field. Generic: no dialog maps
 *   errors by hand. `formProblem(form, error)`: what is left to say above the fields.
 * - `serialField()`: a serial typed into a form, in the shared words.
 */
import { schemaResolver, type UseFormInput, type UseFormReturnType } from '@mantine/form';
import { z } from 'zod';
import { contract, type Channel } from '../../../shared/contract';
import { parseSerial } from '../../../shared/serial';
import { CallError, errorMessage } from '../api';

type ShapeOf<C extends Channel> = Contract[C]['input'] extends z.ZodObject<infer S> ? S : never;
type Contract = typeof contract;

/** The channel's input schema, only `fields`; refinements given in `refine` apply on top. */
export function inputSchema<C extends Channel, K extends keyof ShapeOf<C> & string>(
  channel: C,
  fields: readonly K[],
  refine?: (value: z.output<z.ZodObject<Pick<ShapeOf<C>, K>>>, ctx: z.RefinementCtx) => void,
) {
  const schema = contract[channel].input as unknown as z.ZodObject<ShapeOf<C>>;
  const shape = Object.fromEntries(fields.map((key) => [key, schema.shape[key]])) as Pick<ShapeOf<C>, K>;
  const picked = z.object(shape);
  return refine ? picked.superRefine(refine) : picked;
}

/**
 * A serial typed into a form, checked as the agent types it (shared/serial.ts words);
 * parsing gives the canonical 19 digits. The contract leaves a serial's shape to the
 * service (SERIAL_INVALID, audited); a form that sends one says what is wrong before
 * asking. `optional`: empty passes (and stays empty).
 */
export function serialField({ optional = false } = {}) {
  const blank = (value: string) => optional && value.trim() === '';
  // Checked, then converted: a refinement (unlike a failed transform) lets the form's other rules run too.
  return z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseSerial(value);
      if (!blank(value) && !parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    })
    .transform((value) => {
      const parsed = parseSerial(value);
      return parsed.ok ? parsed.serial : '';
    });
}

/** `useForm` options: the given values, validated by `schema` on submit and on blur after a first error. */
export function contractForm<Values extends Record<string, unknown>>(
  schema: z.ZodType,
  initialValues: Values,
  extra: Omit<UseFormInput<Values>, 'initialValues' | 'validate'> = {},
): UseFormInput<Values> {
  return {
    mode: 'controlled',
    initialValues,
    validate: schemaResolver(schema as never, { sync: true }) as UseFormInput<Values>['validate'],
    validateInputOnBlur: true,
    ...extra,
  };
}

export interface ServerFieldError {
  path: string;
  message: string;
}

export function serverFieldErrors(error: unknown): ServerFieldError[] {
  if (!(error instanceof CallError) || error.code !== 'VALIDATION_FAILED') return [];
  const fields = error.details?.['fields'];
  if (!Array.isArray(fields)) return [];
  return fields.filter(
    (f): f is ServerFieldError => typeof f === 'object' && f !== null && typeof f.path === 'string' && typeof f.message === 'string',
  );
}

/**
 * Puts a server VALIDATION_FAILED onto the form's fields. Returns true when every
 * named field was on the form (nothing left to show elsewhere), false otherwise.
 */
export function applyServerErrors<Values extends Record<string, unknown>>(form: UseFormReturnType<Values>, error: unknown): boolean {
  const fields = serverFieldErrors(error);
  if (fields.length === 0) return false;
  let all = true;
  for (const field of fields) {
    if (field.path in form.getValues()) form.setFieldError(field.path, field.message);
    else all = false;
  }
  return all;
}

/**
 * What a form shows above its fields after a refused submit: the refusal in words, or
 * null when there is none or every field it names is on the form (where
 * `applyServerErrors` put it).
 */
export function formProblem<Values extends Record<string, unknown>>(form: UseFormReturnType<Values>, error: unknown): string | null {
  if (!error) return null;
  const fields = serverFieldErrors(error);
  if (fields.length > 0 && fields.every((field) => field.path in form.getValues())) return null;
  return errorMessage(error);
}
