/**
 * Typed option schemas of the operation registry: what a pipeline step's `options` may hold,
 * with defaults, units and limits, so that a pipeline is checked before any pixel is touched and
 * a form (the Lab's editor) can be generated from it.
 */
import { PipelineError, stepLabel } from './errors'

interface Common {
  /** One line for a form's help text. */
  description: string
  /** Must be given (no default). */
  required?: boolean
}

export interface NumberOption extends Common {
  type: 'number'
  default?: number
  /** Physical unit, e.g. 'HU', 'mm', 'voxels'. */
  unit?: string
  min?: number
  max?: number
  /** The bound itself is not allowed (e.g. spacing > 0). */
  exclusiveMin?: boolean
  integer?: boolean
}

export interface NumberArrayOption extends Common {
  type: 'number[]'
  default?: number[]
  unit?: string
  /** Exact number of entries; 'dimension' = the image's dimension (checked when the image is known). */
  length?: number | 'dimension'
  /** Minimum / maximum number of entries when `length` is not fixed. */
  minLength?: number
  maxLength?: number
  min?: number
  max?: number
  exclusiveMin?: boolean
  integer?: boolean
}

export interface BooleanOption extends Common {
  type: 'boolean'
  default?: boolean
}

export interface EnumOption extends Common {
  type: 'enum'
  values: readonly (string | number)[]
  default?: string | number
}

export interface StringOption extends Common {
  type: 'string'
  default?: string
  /** Allowed characters, e.g. /^[A-Za-z][A-Za-z0-9_-]*$/. */
  pattern?: RegExp
}

/** The name of a mask produced by an earlier step (or by this step, for `maskName`). */
export interface MaskOption extends Common {
  type: 'mask'
  default?: string
}

export type OptionSchema = NumberOption | NumberArrayOption | BooleanOption | EnumOption | StringOption | MaskOption

export type OptionsSchema = Record<string, OptionSchema>

function describeType(s: OptionSchema): string {
  switch (s.type) {
    case 'number': return s.integer ? 'an integer' : 'a number'
    case 'number[]': return `an array of ${s.integer ? 'integers' : 'numbers'}${typeof s.length === 'number' ? ` with ${s.length} entries` : ''}`
    case 'boolean': return 'true or false'
    case 'enum': return `one of ${s.values.map((v) => JSON.stringify(v)).join(', ')}`
    case 'string': return 'a string'
    case 'mask': return 'the name of a mask (a string)'
  }
}

function bounds(s: NumberOption | NumberArrayOption): string {
  const parts: string[] = []
  if (s.min !== undefined) parts.push(`${s.exclusiveMin ? '>' : '≥'} ${s.min}`)
  if (s.max !== undefined) parts.push(`≤ ${s.max}`)
  return parts.join(' and ') + (s.unit ? ` ${s.unit}` : '')
}

function checkNumber(v: number, s: NumberOption | NumberArrayOption, where: () => string, step: number, op: string): void {
  if (!Number.isFinite(v)) throw new PipelineError('BAD_OPTION_TYPE', `${where()} must be a finite number, got ${JSON.stringify(v)}`, { step, op })
  if (s.integer && !Number.isInteger(v)) throw new PipelineError('BAD_OPTION_TYPE', `${where()} must be an integer, got ${v}`, { step, op })
  const low = s.min !== undefined && (s.exclusiveMin ? v <= s.min : v < s.min)
  const high = s.max !== undefined && v > s.max
  if (low || high) throw new PipelineError('OUT_OF_RANGE', `${where()} must be ${bounds(s)}, got ${v}`, { step, op })
}

/**
 * Checks one option value against its schema; throws {@link PipelineError} (BAD_OPTION_TYPE,
 * OUT_OF_RANGE) naming the step and the option. `dimension`, when known, checks 'dimension' lengths.
 */
export function checkOptionValue(value: unknown, s: OptionSchema, name: string, step: number, op: string, dimension?: number): void {
  const where = () => `${stepLabel(step, op)}: option "${name}"`
  const wrong = () => new PipelineError('BAD_OPTION_TYPE', `${where()} must be ${describeType(s)}, got ${JSON.stringify(value)}`, { step, op })
  switch (s.type) {
    case 'number':
      if (typeof value !== 'number') throw wrong()
      checkNumber(value, s, where, step, op)
      return
    case 'number[]': {
      if (!Array.isArray(value)) throw wrong()
      const n = value.length
      const want = s.length === 'dimension' ? dimension : s.length
      if (want !== undefined && n !== want) {
        throw new PipelineError('BAD_OPTION_TYPE', `${where()} must have ${want} entries${s.length === 'dimension' ? ' (one per image axis)' : ''}, got ${n}`, { step, op })
      }
      if (s.minLength !== undefined && n < s.minLength) throw new PipelineError('BAD_OPTION_TYPE', `${where()} needs at least ${s.minLength} entries, got ${n}`, { step, op })
      if (s.maxLength !== undefined && n > s.maxLength) throw new PipelineError('BAD_OPTION_TYPE', `${where()} takes at most ${s.maxLength} entries, got ${n}`, { step, op })
      value.forEach((v, i) => {
        if (typeof v !== 'number') throw new PipelineError('BAD_OPTION_TYPE', `${where()}[${i}] must be a number, got ${JSON.stringify(v)}`, { step, op })
        checkNumber(v, s, () => `${where()}[${i}]`, step, op)
      })
      return
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw wrong()
      return
    case 'enum':
      if (!s.values.includes(value as string | number)) {
        throw new PipelineError(typeof value === typeof s.values[0] ? 'OUT_OF_RANGE' : 'BAD_OPTION_TYPE', `${where()} must be ${describeType(s)}, got ${JSON.stringify(value)}`, { step, op })
      }
      return
    case 'string':
    case 'mask':
      if (typeof value !== 'string' || value.length === 0) throw wrong()
      if (s.type === 'mask' ? !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(value) : s.pattern && !s.pattern.test(value)) {
        throw new PipelineError('OUT_OF_RANGE', `${where()}: ${JSON.stringify(value)} is not a valid name (letters, digits, _ and -, starting with a letter)`, { step, op })
      }
      return
  }
}

/** The options with every default filled in (a copy; arrays copied). */
export function withDefaults(options: Record<string, unknown>, schema: OptionsSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, s] of Object.entries(schema)) {
    if (k in options) out[k] = Array.isArray(options[k]) ? [...(options[k] as unknown[])] : options[k]
    else if (s.default !== undefined) out[k] = Array.isArray(s.default) ? [...s.default] : s.default
  }
  return out
}
