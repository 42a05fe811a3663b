/** Dates, numbers and money as Swedish readers expect them (sv-SE). */
const dateFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'long' });
const dateTimeFormat = new Intl.DateTimeFormat('sv-SE', { dateStyle: 'medium', timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat('sv-SE');
const moneyFormat = new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK', maximumFractionDigits: 0 });
const percentFormat = new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 1 });

const valid = (value: string | null | undefined): Date | null => {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
};

export const formatDate = (value: string | null | undefined): string => {
  const date = valid(value);
  return date ? dateFormat.format(date) : '–';
};
export const formatDateTime = (value: string | null | undefined): string => {
  const date = valid(value);
  return date ? dateTimeFormat.format(date) : '–';
};
export const formatNumber = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : numberFormat.format(value);
export const formatMoney = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : moneyFormat.format(value);
export const formatPercent = (share: number | null | undefined): string =>
  share === null || share === undefined ? '–' : percentFormat.format(share);
