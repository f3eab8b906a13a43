import { invalidParameter } from '../domain/errors.js';
import type { Json } from '../domain/input.js';

export type JsonObject = { [k: string]: Json };

/**
 * Managed login branding Settings: a JSON document (ManagedLoginBrandingType.Settings,
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_ManagedLoginBrandingType.html)
 * whose members are those the branding editor exports (`categories`, `componentClasses`, `components`,
 * `textContent`, `version`; the API reference does not spell the schema out, so the names here are as
 * published exports of the editor use them). Colours are 8 hex digits, RRGGBBAA. These are the defaults of Tessera's pages written in that schema: what
 * ReturnMergedResources fills in, and the base a customized style is merged onto. Only the members below are
 * applied to the pages (see ARCHITECTURE.md); others are stored and returned as given.
 */
export const DEFAULT_SETTINGS: JsonObject = {
  categories: { global: { colorSchemeMode: 'LIGHT' } },
  componentClasses: {
    buttons: { borderRadius: 4 },
    input: {
      borderRadius: 4,
      lightMode: { defaults: { backgroundColor: 'ffffffff', borderColor: '6b7686ff' } },
      darkMode: { defaults: { backgroundColor: '0f1b2aff', borderColor: '8d99a8ff' } },
    },
    inputLabel: { lightMode: { textColor: '16191fff' }, darkMode: { textColor: 'd1d5dbff' } },
    link: { lightMode: { defaults: { textColor: '0860bdff' } }, darkMode: { defaults: { textColor: '89bdeeff' } } },
    focusState: { lightMode: { borderColor: '0972d3ff' }, darkMode: { borderColor: '539fe5ff' } },
    text: { lightMode: { bodyTextColor: '16191fff', headingTextColor: '16191fff' }, darkMode: { bodyTextColor: 'd1d5dbff', headingTextColor: 'ffffffff' } },
    statusIndicator: {
      lightMode: { error: { backgroundColor: 'fff0f0ff', borderColor: 'b0001eff', indicatorColor: 'b0001eff' } },
      darkMode: { error: { backgroundColor: '1a0000ff', borderColor: 'eb6f6fff', indicatorColor: 'eb6f6fff' } },
    },
  },
  components: {
    primaryButton: { lightMode: { defaults: { backgroundColor: '0972d3ff', textColor: 'ffffffff' } }, darkMode: { defaults: { backgroundColor: '539fe5ff', textColor: '000716ff' } } },
    secondaryButton: {
      lightMode: { defaults: { backgroundColor: 'ffffffff', borderColor: '0972d3ff', textColor: '0860bdff' } },
      darkMode: { defaults: { backgroundColor: '0f1b2aff', borderColor: '539fe5ff', textColor: '89bdeeff' } },
    },
    pageBackground: { lightMode: { color: 'f4f5f7ff' }, darkMode: { color: '0b1320ff' } },
    form: { borderRadius: 8, lightMode: { backgroundColor: 'ffffffff', borderColor: 'ffffffff' }, darkMode: { backgroundColor: '0f1b2aff', borderColor: '0f1b2aff' } },
  },
};

const COLOR = /^[0-9a-fA-F]{8}$/;
const COLOR_KEYS = /(^c|C)olor$/;
const SCHEMES: ReadonlySet<string> = new Set(['LIGHT', 'DARK', 'DYNAMIC']);

export const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks what the pages read: every `color` / `...Color` member is RRGGBBAA, every `borderRadius` a number from 0 to
 * 24 (the editor's range), colorSchemeMode one of LIGHT, DARK, DYNAMIC. Cognito's wording for a refused
 * setting is not documented; the messages name the member.
 */
export function checkSettings(settings: Json, path = 'Settings'): void {
  if (!isObject(settings)) throw invalidParameter(`${path} must be a JSON object.`);
  for (const [k, v] of Object.entries(settings)) {
    const at = `${path}.${k}`;
    if (COLOR_KEYS.test(k) && (typeof v !== 'string' || !COLOR.test(v))) throw invalidParameter(`${at} must be a colour of 8 hexadecimal digits (RRGGBBAA).`);
    if (k === 'borderRadius' && (typeof v !== 'number' || v < 0 || v > 24)) throw invalidParameter(`${at} must be a number from 0 to 24.`);
    if (k === 'colorSchemeMode' && (typeof v !== 'string' || !SCHEMES.has(v))) throw invalidParameter(`${at} must be LIGHT, DARK or DYNAMIC.`);
    if (isObject(v)) checkSettings(v, at);
  }
}

/** `over` merged into `base`, objects member by member: how an update keeps the settings it does not name. */
export function mergeSettings(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isObject(b) && isObject(v) ? mergeSettings(b, v) : v;
  }
  return out;
}

/** The member at `path`, if every step is an object. */
export function pick(settings: JsonObject, ...path: string[]): Json | undefined {
  let v: Json | undefined = settings;
  for (const p of path) v = isObject(v) ? v[p] : undefined;
  return v;
}
