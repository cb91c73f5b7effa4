/**
 * Giftdesk's Mantine theme, and the colours that keep it readable in both schemes.
 *
 * Mantine's default palette puts some text below WCAG AA contrast (4.5:1): dimmed
 * grey on white, white on green/orange/indigo buttons, dark-green or orange alert
 * titles on their tinted backgrounds, red error text on dark inputs. Rather than
 * colouring components one by one, `cssVariablesResolver` redefines Mantine's own
 * colour variables per scheme: each starts at Mantine's default shade and is
 * darkened (light scheme) or lightened (dark scheme) in small steps until it reaches
 * 4.5:1 on every background it is drawn on. A colour that already passes stays as
 * Mantine made it. The axe scan in test/e2e/a11y.spec.ts keeps this true.
 */
import {
  Modal,
  Notification,
  createTheme,
  darken,
  lighten,
  luminance,
  toRgba,
  type CSSVariablesResolver,
  type MantineColorsTuple,
  type MantineTheme,
} from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'md',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, monospace',
  headings: { fontWeight: '650' },
  components: {
    // The dialogs' × button has no text: give it a name (Escape closes them too).
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close notification' } },
      // Mantine draws the message in a fixed grey (gray-6 / dark-2); use the readable dimmed colour.
      styles: { description: { color: 'var(--mantine-color-dimmed)' } },
    }),
  },
});

/** WCAG AA for normal-size text. */
const AA = 4.5;
/** Step size when nudging a colour darker or lighter. */
const STEP = 0.04;

type Rgb = { r: number; g: number; b: number };

function toHex({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** `fg` drawn with `opacity` over `bg`, as the eye (and axe) sees it. */
function over(fg: string, bg: string, opacity: number): string {
  const f = toRgba(fg);
  const b = toRgba(bg);
  const mix = (x: number, y: number) => x * opacity + y * (1 - opacity);
  return toHex({ r: mix(f.r, b.r), g: mix(f.g, b.g), b: mix(f.b, b.b) });
}

export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The first colour, from `base` nudged step by step towards black (`darker`) or white,
 * that reaches AA on every background, also when drawn at `opacity` (NavLink
 * descriptions are drawn at 0.9).
 */
function readable(base: string, backgrounds: string[], direction: 'darker' | 'lighter', opacity = 1): string {
  for (let amount = 0; amount <= 1; amount += STEP) {
    const candidate = toHex(toRgba(amount === 0 ? base : direction === 'darker' ? darken(base, amount) : lighten(base, amount)));
    if (backgrounds.every((bg) => contrast(candidate, bg) >= AA && contrast(over(candidate, bg, opacity), bg) >= AA)) {
      return candidate;
    }
  }
  return direction === 'darker' ? '#000000' : '#ffffff';
}

/** Mantine's dark-scheme tint for a colour's light variant (alerts, badges, active links). */
const darkLight = (tuple: MantineColorsTuple) => toHex(toRgba(darken(tuple[9], 0.5)));
const darkLightHover = (tuple: MantineColorsTuple) => toHex(toRgba(darken(tuple[9], 0.3)));

function colorVariables(t: MantineTheme) {
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  const { white, colors } = t;
  const gray = colors.gray;
  const darks = colors.dark;
  // Where text sits in each scheme: body/paper, hovered rows, the default (input) fill.
  const lightSurfaces = [white, gray[0], gray[1]];
  const darkSurfaces = [darks[7], darks[6], darks[5], darks[8]];
  const lightTints = Object.values(colors).map((tuple) => tuple[1]);
  const darkTints = Object.values(colors).map(darkLight);

  for (const [name, tuple] of Object.entries(colors)) {
    if (name === 'dark') continue;
    const v = (key: string) => `--mantine-color-${name}-${key}`;

    // Light scheme: white text on filled, coloured text on white and on its own tint.
    const filledLight = readable(tuple[6], [white], 'darker');
    light[v('filled')] = filledLight;
    light[v('filled-hover')] = readable(darken(filledLight, 0.1), [white], 'darker');
    light[v('outline')] = filledLight;
    light[v('text')] = readable(tuple[6], [...lightSurfaces, tuple[0], tuple[1]], 'darker');
    light[v('light-color')] = readable(tuple[9], [white, gray[0], tuple[1], tuple[2]], 'darker', 0.9);

    // Dark scheme: white text on filled; coloured text on dark surfaces and on its tint.
    const filledDark = readable(tuple[8], [white], 'darker');
    dark[v('filled')] = filledDark;
    dark[v('filled-hover')] = readable(darken(filledDark, 0.1), [white], 'darker');
    dark[v('text')] = readable(tuple[4], [...darkSurfaces, darkLight(tuple)], 'lighter');
    dark[v('outline')] = dark[v('text')]!;
    dark[v('light-color')] = readable(tuple[0], [darkLight(tuple), darkLightHover(tuple), ...darkSurfaces], 'lighter', 0.9);
  }

  const primary = colors[t.primaryColor]!;
  // Secondary text, error messages (also the text of an invalid input) and links.
  light['--mantine-color-dimmed'] = readable(gray[6], lightSurfaces, 'darker');
  light['--mantine-color-error'] = readable(colors.red[6], [...lightSurfaces, colors.red[0]], 'darker');
  light['--mantine-color-anchor'] = readable(primary[6], [...lightSurfaces, ...lightTints], 'darker');
  dark['--mantine-color-dimmed'] = readable(darks[2], darkSurfaces, 'lighter');
  dark['--mantine-color-error'] = readable(colors.red[8], darkSurfaces, 'lighter');
  dark['--mantine-color-anchor'] = readable(primary[4], [...darkSurfaces, ...darkTints], 'lighter');
  return { light, dark };
}

/** The colours above; Mantine merges them over its defaults (pass to MantineProvider). */
export const cssVariablesResolver: CSSVariablesResolver = (t) => ({ variables: {}, ...colorVariables(t) });
