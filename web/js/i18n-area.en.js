/* i18n-area.en.js - the English texts of i18n-area.js, loaded only when English is chosen
 * (i18n-en.js). */
export const enArea = {
  'dash.title_city': 'City command dashboard',
  'dash.title_province': 'Province command dashboard',
};
