/**
 * The console's Mantine theme, tuned so that every text meets WCAG AA contrast (axe checks it
 * in the end-to-end tests): tinted ("light") and outlined controls get near-black text instead
 * of the hue itself, filled ones pick black or white text by luminance, the "dimmed" grey is
 * darker than Mantine's default, and icon-only close buttons are named.
 */
import type { CSSVariablesResolver, VariantColorsResolver } from '@mantine/core';
import {
  Drawer,
  Modal,
  Notification,
  createTheme,
  defaultVariantColorsResolver,
} from '@mantine/core';

const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  switch (input.variant) {
    case 'light':
    case 'outline':
    case 'subtle':
      return input.color === 'gray' || input.color === undefined
        ? colors
        : { ...colors, color: 'var(--mantine-color-text)' };
    default:
      return colors;
  }
};

export const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: { light: 8, dark: 4 },
  autoContrast: true,
  // Where black and white text reach the same contrast (relative luminance ≈ 0.18).
  luminanceThreshold: 0.18,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  defaultRadius: 'sm',
  variantColorResolver,
  components: {
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Close' } },
    }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

/** Mantine's default "dimmed" grey and its error red (red.6) are below 4.5:1 on white. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
