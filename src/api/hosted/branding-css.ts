import type { Json } from '../../domain/input.js';
import type { BrandingAsset, ManagedLoginBranding } from '../../services/oauth-branding.js';
import { pick, type JsonObject } from '../../services/oauth-branding-settings.js';
import type { Branding } from '../../services/oauth-ui.js';

type Mode = 'lightMode' | 'darkMode';

/** A checked RRGGBBAA setting as a CSS colour; anything else (never stored, but read defensively) is none. */
const color = (v: Json | undefined): string | undefined => (typeof v === 'string' && /^[0-9a-fA-F]{8}$/.test(v) ? `#${v.toLowerCase()}` : undefined);
const radius = (v: Json | undefined): string | undefined => (typeof v === 'number' && v >= 0 && v <= 24 ? `${v}px` : undefined);

/** `selector{prop:value;...}` with the properties that have a value; nothing when none has. */
function rule(selector: string, props: Record<string, string | undefined>): string {
  const body = Object.entries(props)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}:${v}`)
    .join(';');
  return body === '' ? '' : `${selector}{${body}}`;
}

/**
 * The settings the pages apply, for one colour mode: page background, text, heading and label colours,
 * links, focus ring, inputs, primary and secondary buttons, the form card, and error colours (statusIndicator
 * error). Each maps to the page element the branding editor's component styles.
 */
function modeCss(s: JsonObject, m: Mode, backgroundUrl: string | undefined): string {
  const cc = (...p: string[]) => pick(s, 'componentClasses', ...p);
  const co = (...p: string[]) => pick(s, 'components', ...p);
  const body = color(cc('text', m, 'bodyTextColor'));
  return [
    rule('body', { 'background-color': color(co('pageBackground', m, 'color')), color: body, ...(backgroundUrl ? { 'background-image': `url("${backgroundUrl}")`, 'background-size': 'cover' } : {}) }),
    rule('main', { 'background-color': color(co('form', m, 'backgroundColor')), border: color(co('form', m, 'borderColor')) && `1px solid ${color(co('form', m, 'borderColor')) ?? ''}`, 'border-radius': radius(co('form', 'borderRadius')) }),
    rule('h1', { color: color(cc('text', m, 'headingTextColor')) }),
    rule('label', { color: color(cc('inputLabel', m, 'textColor')) }),
    rule('a', { color: color(cc('link', m, 'defaults', 'textColor')) }),
    rule('a:hover', { color: color(cc('link', m, 'hover', 'textColor')) }),
    rule('input:focus,button:focus,a:focus', { 'outline-color': color(cc('focusState', m, 'borderColor')) }),
    rule('input', { 'background-color': color(cc('input', m, 'defaults', 'backgroundColor')), 'border-color': color(cc('input', m, 'defaults', 'borderColor')), 'border-radius': radius(cc('input', 'borderRadius')), color: body }),
    rule('button', {
      'background-color': color(co('primaryButton', m, 'defaults', 'backgroundColor')),
      'border-color': color(co('primaryButton', m, 'defaults', 'backgroundColor')),
      color: color(co('primaryButton', m, 'defaults', 'textColor')),
      'border-radius': radius(cc('buttons', 'borderRadius')),
    }),
    rule('button:hover', { 'background-color': color(co('primaryButton', m, 'hover', 'backgroundColor')), color: color(co('primaryButton', m, 'hover', 'textColor')) }),
    rule('button.secondary', {
      'background-color': color(co('secondaryButton', m, 'defaults', 'backgroundColor')),
      'border-color': color(co('secondaryButton', m, 'defaults', 'borderColor')),
      color: color(co('secondaryButton', m, 'defaults', 'textColor')),
    }),
    rule('.error', { color: color(cc('statusIndicator', m, 'error', 'indicatorColor')) }),
    rule('.alert', { 'background-color': color(cc('statusIndicator', m, 'error', 'backgroundColor')), 'border-left-color': color(cc('statusIndicator', m, 'error', 'borderColor')) }),
  ].join('');
}

/** Where a style's asset is served: versioned by the style's last change, so a new image is fetched anew. */
export const assetPath = (b: ManagedLoginBranding, a: BrandingAsset): string =>
  `/_tessera/branding/${encodeURIComponent(b.poolId)}/${b.id}/${a.Category}/${a.ColorMode}?v=${b.updatedAt}`;

/** The asset of a category for a mode: that mode's, else the browser-adaptive (DYNAMIC) one. */
function assetFor(b: ManagedLoginBranding, category: string, mode: 'LIGHT' | 'DARK'): BrandingAsset | undefined {
  const of = (m: string) => b.assets.find((a) => a.Category === category && a.ColorMode === m && a.Bytes !== undefined);
  return of(mode) ?? of('DYNAMIC');
}

/**
 * What a client's managed login style does to the pages: the CSS of its colours (LIGHT, DARK, or both with
 * prefers-color-scheme for DYNAMIC), the FORM_LOGO as the logo, PAGE_BACKGROUND as the page's background
 * image, and FAVICON_ICO / FAVICON_SVG as the icon.
 */
export function managedLoginBranding(b: ManagedLoginBranding, merged: JsonObject): Branding {
  const scheme = pick(merged, 'categories', 'global', 'colorSchemeMode');
  const primary: 'LIGHT' | 'DARK' = scheme === 'DARK' ? 'DARK' : 'LIGHT';
  const url = (category: string, mode: 'LIGHT' | 'DARK') => {
    const a = assetFor(b, category, mode);
    return a ? assetPath(b, a) : undefined;
  };
  let css = modeCss(merged, primary === 'DARK' ? 'darkMode' : 'lightMode', url('PAGE_BACKGROUND', primary));
  if (scheme === 'DYNAMIC') css += `@media (prefers-color-scheme: dark){${modeCss(merged, 'darkMode', url('PAGE_BACKGROUND', 'DARK'))}}`;
  const logoUrl = url('FORM_LOGO', primary);
  const faviconUrl = url('FAVICON_SVG', primary) ?? url('FAVICON_ICO', primary);
  return { css, ...(logoUrl ? { logoUrl } : {}), ...(faviconUrl ? { faviconUrl } : {}) };
}

export const ASSET_TYPES: Record<string, string> = { PNG: 'image/png', JPEG: 'image/jpeg', ICO: 'image/x-icon', SVG: 'image/svg+xml', WEBP: 'image/webp' };
