/* i18n-area.js - the zh-CN texts of area users (issue 17): the dashboard of a city's or a
 * province's health commission. */
export const zhArea = {
  'dash.title_city': '市级指挥中心',
  'dash.title_province': '省级指挥中心',
};
