/**
 * i18next setup. Catalogues are bundled (the app is offline), so initialisation is synchronous
 * and the first render is already in the right language.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import en from './en.json';
import zhCN from './zh-CN.json';

export const locales = ['en', 'zh-CN'] as const;
export type Locale = (typeof locales)[number];

/** Each language is named in itself, so a user who cannot read the current one still finds theirs. */
export const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

const STORAGE_KEY = 'lantern-locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof en };
  }
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

function initialLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage may be unavailable; fall through to the browser's preference.
  }
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function applyToDocument(lng: string): void {
  document.documentElement.lang = lng;
  document.title = i18n.t('app.title');
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLocale(),
  fallbackLng: 'en',
  load: 'currentOnly',
  initAsync: false,
  // React escapes text already; escaping twice would show entities.
  interpolation: { escapeValue: false },
  react: { useSuspense: false },
});

applyToDocument(i18n.language);
i18n.on('languageChanged', applyToDocument);

export async function setLocale(locale: Locale): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Not remembered across launches, but the switch itself still works.
  }
  await i18n.changeLanguage(locale);
}

export default i18n;
