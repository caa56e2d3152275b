/* charts.js - Apache ECharts, loaded only by the screens that draw a chart.
 *
 * The library is the npm package (package.json) served by the server as one whitelisted
 * file, /vendor/echarts.min.js, cached for a year; the version in its URL makes an upgrade
 * a new address. Keep ECHARTS_VERSION equal to package.json (an API test checks it). */

export const ECHARTS_VERSION = '6.1.0';

let loading = null;

/* Resolves with the echarts namespace, adding its <script> once. */
export function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = `/vendor/echarts.min.js?v=${ECHARTS_VERSION}`;
      script.async = true;
      script.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts')));
      script.onerror = () => {
        loading = null; /* let a later screen try again */
        script.remove();
        reject(new Error('echarts'));
      };
      document.head.appendChild(script);
    });
  }
  return loading;
}

/* Draws `option` into `el` (already in the page) and keeps it fitted to the element's
 * width; the chart is disposed of once the element has left the page. */
export function drawChart(echarts, el, option) {
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption(option);
  const observer = new ResizeObserver(() => {
    if (!el.isConnected) {
      observer.disconnect();
      chart.dispose();
      return;
    }
    chart.resize();
  });
  observer.observe(el);
  /* Navigating away empties <main> without resizing the element: check on each route. */
  const onRoute = () => {
    setTimeout(() => {
      if (el.isConnected) return;
      window.removeEventListener('hashchange', onRoute);
      observer.disconnect();
      chart.dispose();
    }, 0);
  };
  window.addEventListener('hashchange', onRoute);
  return chart;
}
