// telex dashboard: plain JS + SVG, no library. Every page fetches its JSON twin under /api with the filters
// carried by the URL's query string, so a view can be shared by copying its address. In a static report
// (`telex report`) the same code reads the JSON embedded in the page instead of fetching it.
(function () {
  'use strict';
  const SVGNS = 'http://www.w3.org/2000/svg';
  const embedded = document.getElementById('telex-data');
  const DATA = embedded ? JSON.parse(embedded.textContent) : null;
  const STATIC = DATA !== null;
  const QUAD_COLOURS = {1: '#2b8a3e', 2: '#1864ab', 3: '#e67700', 4: '#c92a2a'};
  const QUAD_NAMES = {1: 'verbal cooperation', 2: 'material cooperation', 3: 'verbal conflict', 4: 'material conflict'};
  const FILTERS = ['actor', 'side', 'country', 'source', 'target', 'root', 'cameo', 'quad', 'modality', 'date_from',
    'date_to', 'place', 'doc', 'q'];
  const PAGES = [['overview', 'Overview'], ['network', 'Actor network'], ['timeline', 'Timeline'], ['map', 'Map'],
    ['events', 'Events'], ['actors', 'Actors']];
  let meta = null;

  // -- small DOM helpers ------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAll(node, attrs);
    children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(c == null ? '' : String(c))));
    return node;
  }
  function sv(tag, attrs, ...children) {
    const node = document.createElementNS(SVGNS, tag);
    setAll(node, attrs);
    children.flat().forEach(c => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  }
  function setAll(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
  }
  const fmt = n => (n == null ? '' : Number(n).toLocaleString('en'));

  // -- routing: /page/id?filters on the server, #/page/id?filters in a static report -------------------
  function route() {
    let path = location.pathname, search = location.search;
    if (STATIC) {
      const h = location.hash.replace(/^#/, '') || '/';
      const i = h.indexOf('?');
      path = i < 0 ? h : h.slice(0, i);
      search = i < 0 ? '' : h.slice(i);
    }
    const parts = path.split('/').filter(Boolean);
    return {page: parts[0] || 'overview', id: parts[1] ? decodeURIComponent(parts[1]) : null,
      params: new URLSearchParams(search)};
  }
  function token() { return STATIC ? null : new URLSearchParams(location.search).get('token'); }
  function href(path, params) {
    const p = new URLSearchParams(params || {});
    const t = token();
    if (t) p.set('token', t);
    const qs = p.toString();
    return (STATIC ? '#' : '') + path + (qs ? '?' + qs : '');
  }
  function go(path, params) {
    const url = href(path, params);
    if (STATIC) location.hash = url.slice(1);
    else { history.pushState(null, '', url); render(); }
  }
  function link(text, path, params, cls) {
    return el('a', {href: href(path, params), class: cls, onclick: e => {
      if (e.button === 0 && !e.ctrlKey && !e.metaKey) { e.preventDefault(); go(path, params); }
    }}, text);
  }
  function filterParams(params) {
    const out = {};
    for (const k of FILTERS) {
      const v = params.get(k);
      if (v && !(k === 'side' && v === 'either')) out[k] = v;
    }
    return out;
  }

  // -- data ---------------------------------------------------------------------------------
  async function api(path, params) {
    if (STATIC) return staticApi(path, params || {});
    const qs = new URLSearchParams(params || {}).toString();
    const t = token();
    const response = await fetch(path + (qs ? '?' + qs : ''), {headers: t ? {Authorization: 'Bearer ' + t} : {}});
    const body = await response.json();
    if (!response.ok) throw new Error(body.error || response.statusText);
    return body;
  }
  function staticApi(path, params) {
    if (path === '/api/events') {
      const all = DATA.api['/api/events'].items.filter(e => staticMatch(e, params));
      const offset = Number(params.offset || 0), limit = Number(params.limit || 50);
      return {total: all.length, limit, offset, items: all.slice(offset, offset + limit)};
    }
    if (!(path in DATA.api)) throw new Error('not included in this static report: ' + path + ' (use telex serve)');
    return DATA.api[path];
  }
  function node(code) {
    if (code && code.length === 6 && code.endsWith('GOV') && !/^(IGO|NGO|IMG)/.test(code)) return code.slice(0, 3);
    return code;
  }
  function staticMatch(e, p) {
    const code = (c, v) => c === v || node(c) === v;
    if (p.source && !code(e.source_code, p.source)) return false;
    if (p.target && !code(e.target_code, p.target)) return false;
    if (p.actor && !code(e.source_code, p.actor) && !code(e.target_code, p.actor)) return false;
    if (p.root && e.root !== p.root) return false;
    if (p.quad && String(e.quad_class) !== String(p.quad)) return false;
    if (p.modality && e.modality !== p.modality) return false;
    if (p.doc && e.doc_id !== p.doc) return false;
    if (p.place && !((e.place_name || '').toLowerCase().includes(p.place.toLowerCase()) || e.place_country === p.place)) return false;
    return true;
  }

  // -- chart and table export -------------------------------------------------------------------
  function download(blob, name) {
    const a = el('a', {href: URL.createObjectURL(blob), download: name});
    document.body.append(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function svgBlob(svg) {
    const copy = svg.cloneNode(true);
    copy.setAttribute('xmlns', SVGNS);
    return new Blob([new XMLSerializer().serializeToString(copy)], {type: 'image/svg+xml'});
  }
  function savePng(svg, name) {
    const w = Number(svg.getAttribute('width')), h = Number(svg.getAttribute('height'));
    const img = new Image();
    const url = URL.createObjectURL(svgBlob(svg));
    img.onload = () => {
      const canvas = el('canvas', {width: w * 2, height: h * 2});
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, w, h);
      URL.revokeObjectURL(url);
      canvas.toBlob(b => download(b, name + '.png'), 'image/png');
    };
    img.src = url;
  }
  function figure(title, name, svg, ...extra) {
    const tools = el('span', {class: 'tools'},
      el('button', {type: 'button', class: 'dl-svg', onclick: () => download(svgBlob(svg), name + '.svg')}, 'SVG'),
      el('button', {type: 'button', class: 'dl-png', onclick: () => savePng(svg, name)}, 'PNG'));
    return el('figure', {id: 'fig-' + name}, el('figcaption', {}, el('span', {}, title), tools), svg, ...extra);
  }
  function exportLinks(filters) {
    if (STATIC) return el('span');
    return el('span', {class: 'tools'}, 'export: ',
      el('a', {href: href('/api/events.csv', filters), class: 'export-csv', download: 'telex-events.csv'}, 'CSV'),
      el('a', {href: href('/api/events.parquet', filters), class: 'export-parquet', download: 'telex-events.parquet'}, 'Parquet'));
  }
  function tableCsv(table, name) {
    const rows = [...table.querySelectorAll('tr')].map(tr => [...tr.children].map(
      c => '"' + c.textContent.replace(/"/g, '""') + '"').join(','));
    download(new Blob([rows.join('\n') + '\n'], {type: 'text/csv'}), name + '.csv');
  }
  function table(name, head, rows) {
    const t = el('table', {id: 'table-' + name}, el('tr', {}, head.map(h => el('th', {}, h))), rows);
    const button = el('button', {type: 'button', class: 'dl-table', onclick: () => tableCsv(t, name)}, 'CSV');
    return el('div', {}, el('div', {class: 'tools'}, button), t);
  }

  // -- highlighting -------------------------------------------------------------------------
  const MARK = {trigger: 'trg', source: 'src', target: 'tgt'};
  function highlight(text, spans) {
    const out = [];
    let pos = 0;
    for (const s of [...spans].sort((a, b) => a.start - b.start)) {
      if (s.start < pos || s.start < 0 || s.end > text.length || s.end <= s.start) continue;
      out.push(text.slice(pos, s.start));
      out.push(el('mark', {class: MARK[s.kind], title: s.kind}, text.slice(s.start, s.end)));
      pos = s.end;
    }
    out.push(text.slice(pos));
    return out;
  }
  function rowSpans(e) {
    const spans = [];
    for (const [kind, a, b] of [['trigger', e.trigger_start, e.trigger_end], ['source', e.source_start, e.source_end],
      ['target', e.target_start, e.target_end]]) {
      if (a != null && b != null) spans.push({kind, start: a - e.char_start, end: b - e.char_start});
    }
    return spans;
  }
  function legend() {
    return el('p', {class: 'legend'}, Object.entries(QUAD_NAMES).map(([q, n]) =>
      el('span', {}, el('i', {class: 'sw q' + q}), n)));
  }

  // -- charts -------------------------------------------------------------------------------
  function barChart(buckets, width) {
    const height = 240, mid = 120, left = 40;
    const svg = sv('svg', {width, height: height + 40, viewBox: `0 0 ${width} ${height + 40}`, class: 'timeline',
      role: 'img', 'aria-label': 'events over time by quad class'});
    svg.append(sv('rect', {x: 0, y: 0, width, height: height + 40, fill: '#fff'}));
    if (!buckets.length) { svg.append(sv('text', {x: 20, y: 40}, 'No dated events.')); return svg; }
    const peak = Math.max(1, ...buckets.map(b => Math.max(b.cooperation, b.conflict)));
    const step = (width - left - 10) / buckets.length, bar = Math.max(1, Math.min(40, step * 0.8));
    svg.append(sv('line', {x1: left, y1: mid, x2: width, y2: mid, stroke: '#999'}));
    svg.append(sv('text', {x: 2, y: 14, 'font-size': 11}, `cooperation ↑ / conflict ↓ (max ${peak})`));
    const scale = v => v / peak * (mid - 20);
    buckets.forEach((b, i) => {
      const x = left + i * step;
      let up = mid, down = mid;
      for (const q of [2, 1]) {
        const h = scale(b['q' + q]);
        if (h > 0) { up -= h; svg.append(sv('rect', {x, y: up, width: bar, height: h, fill: QUAD_COLOURS[q], class: 'bar'}, sv('title', {}, `${b.period}: ${b['q' + q]} ${QUAD_NAMES[q]}`))); }
      }
      for (const q of [3, 4]) {
        const h = scale(b['q' + q]);
        if (h > 0) { svg.append(sv('rect', {x, y: down, width: bar, height: h, fill: QUAD_COLOURS[q], class: 'bar'}, sv('title', {}, `${b.period}: ${b['q' + q]} ${QUAD_NAMES[q]}`))); down += h; }
      }
      const every = Math.ceil(buckets.length / 16);
      if (i % every === 0) svg.append(sv('text', {x, y: height + 18, 'font-size': 10}, b.period));
    });
    return svg;
  }

  function networkChart(data, onEdge, onNode) {
    const size = 640, centre = size / 2, radius = size / 2 - 70;
    const svg = sv('svg', {width: size, height: size, viewBox: `0 0 ${size} ${size}`, class: 'network', role: 'img',
      'aria-label': 'actor network'});
    svg.append(sv('rect', {x: 0, y: 0, width: size, height: size, fill: '#fff'}));
    if (!data.nodes.length) { svg.append(sv('text', {x: 20, y: 40}, 'No dyadic events.')); return svg; }
    const defs = sv('defs');
    for (const [q, c] of Object.entries(QUAD_COLOURS)) {
      defs.append(sv('marker', {id: 'arrow' + q, viewBox: '0 0 10 10', refX: 22, refY: 5, markerWidth: 9, markerHeight: 9,
        markerUnits: 'userSpaceOnUse', orient: 'auto'}, sv('path', {d: 'M0,0L10,5L0,10z', fill: c})));
    }
    svg.append(defs);
    const pos = {}, count = data.nodes.length;
    // spread the busiest actors around the circle rather than side by side: rank i goes to slot i * step mod n
    let step = Math.max(1, Math.round(count * 0.38));
    const gcd = (a, b) => (b ? gcd(b, a % b) : a);
    while (count > 2 && gcd(step, count) !== 1) step += 1;
    data.nodes.forEach((n, i) => {
      const a = 2 * Math.PI * ((i * step) % count) / count - Math.PI / 2;
      pos[n.id] = [centre + radius * Math.cos(a), centre + radius * Math.sin(a)];
    });
    const peak = Math.max(...data.edges.map(e => e.count));
    for (const e of [...data.edges].sort((a, b) => a.count - b.count)) {
      const [x1, y1] = pos[e.source], [x2, y2] = pos[e.target];
      // bend each edge so that A->B and B->A do not overlap
      const mx = (x1 + x2) / 2 + (y2 - y1) * 0.15, my = (y1 + y2) / 2 - (x2 - x1) * 0.15;
      const detail = Object.entries(e.quads).filter(([, n]) => n).map(([q, n]) => `${QUAD_NAMES[q]}: ${n}`).join(', ');
      svg.append(sv('path', {d: `M${x1.toFixed(1)},${y1.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`,
        fill: 'none', stroke: QUAD_COLOURS[e.quad], 'stroke-opacity': 0.75, 'stroke-width': (1.5 + 6 * e.count / peak).toFixed(1),
        'marker-end': `url(#arrow${e.quad})`, class: 'edge', 'data-source': e.source, 'data-target': e.target,
        onclick: () => onEdge(e)}, sv('title', {}, `${e.source} → ${e.target}: ${e.count} (${detail}); Goldstein ${e.goldstein}`)));
    }
    const top = Math.max(...data.nodes.map(n => n.count));
    for (const n of data.nodes) {
      const [x, y] = pos[n.id], r = 6 + 10 * Math.sqrt(n.count / top);
      svg.append(sv('g', {class: 'node', 'data-id': n.id, onclick: () => onNode(n)},
        sv('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), fill: '#fff', stroke: '#333'}),
        sv('text', {x: x.toFixed(1), y: (y - r - 4).toFixed(1), 'text-anchor': 'middle', 'font-size': 12}, n.id),
        sv('title', {}, `${n.id}${n.name ? ' (' + n.name + ')' : ''}: ${n.count} events`)));
    }
    return svg;
  }

  function mapChart(world, places, onPlace) {
    const k = 3, width = world.width * k, height = world.height * k;
    const svg = sv('svg', {width, height, viewBox: `0 0 ${width} ${height}`, class: 'map', role: 'img',
      'aria-label': 'map of event places'});
    svg.append(sv('rect', {x: 0, y: 0, width, height, fill: '#eef5fb'}));
    const g = sv('g', {transform: `scale(${k})`});
    for (let lon = -180; lon <= 180; lon += 30) g.append(sv('line', {x1: lon + 180, y1: 0, x2: lon + 180, y2: 180, stroke: '#d0dbe5', 'stroke-width': 0.2}));
    for (let lat = -90; lat <= 90; lat += 30) g.append(sv('line', {x1: 0, y1: 90 - lat, x2: 360, y2: 90 - lat, stroke: '#d0dbe5', 'stroke-width': 0.2}));
    for (const c of world.countries) {
      g.append(sv('path', {d: c.d, fill: '#e9ecef', stroke: '#adb5bd', 'stroke-width': 0.15, class: 'country'}, sv('title', {}, c.name)));
    }
    svg.append(g);
    const top = Math.max(1, ...places.map(p => p.count));
    for (const p of [...places].sort((a, b) => b.count - a.count)) {
      const x = (p.lon + 180) * k, y = (90 - p.lat) * k, r = 3 + 12 * Math.sqrt(p.count / top);
      const colour = p.conflict > p.cooperation ? QUAD_COLOURS[4] : QUAD_COLOURS[1];
      svg.append(sv('circle', {cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(1), fill: colour, 'fill-opacity': 0.6,
        stroke: '#333', 'stroke-width': 0.5, class: 'place', 'data-name': p.name, onclick: () => onPlace(p)},
      sv('title', {}, `${p.name} (${p.country || '?'}): ${p.count} events, ${p.cooperation} cooperation, ${p.conflict} conflict`)));
    }
    return svg;
  }

  // -- pages --------------------------------------------------------------------------------
  function eventsTable(items) {
    return table('events', ['date', 'source', 'event', 'target', 'modality', 'sentence'], items.map(e =>
      el('tr', {class: 'clickable event-row', 'data-id': e.event_id, onclick: () => go('/event/' + encodeURIComponent(e.event_id), {})},
        el('td', {}, e.date || ''), el('td', {}, el('code', {}, e.source_code || '')),
        el('td', {}, el('code', {}, e.cameo), el('br'), el('span', {class: 'muted'}, (meta && meta.roots[e.root]) || '')),
        el('td', {}, el('code', {}, e.target_code || '')), el('td', {}, e.modality),
        el('td', {}, el('span', {class: 'sentence-cell'}, highlight(e.sentence, rowSpans(e))), el('br'),
          el('span', {class: 'muted'}, `${e.doc_id} · rule ${e.rule || ''}`)))));
  }

  async function overview(view, filters) {
    const [s, t] = await Promise.all([api('/api/summary', filters), api('/api/timeline', {...filters, interval: 'month'})]);
    const cards = [['events', s.events], ['documents', s.documents], ['cooperation', s.cooperation],
      ['conflict', s.conflict], ['Goldstein sum', s.goldstein]].map(([k, v]) => el('div', {class: 'card'}, el('b', {}, fmt(v)), k));
    cards.push(el('div', {class: 'card'}, el('b', {}, `${s.first_date || '–'}`), `to ${s.last_date || '–'}`));
    view.append(el('div', {class: 'cards', id: 'summary-cards'}, cards));
    view.append(figure('Cooperation versus conflict by month', 'timeline', barChart(t.buckets, 1000), legend()));
    const actors = table('top-actors', ['actor', 'name', 'events'], s.top_actors.map(a =>
      el('tr', {}, el('td', {}, link(a.code, '/events', {...filters, actor: a.code})), el('td', {}, a.name || ''), el('td', {}, fmt(a.count)))));
    const pairs = table('top-pairs', ['source', 'target', 'events', 'Goldstein'], s.top_pairs.map(p =>
      el('tr', {}, el('td', {}, p.source), el('td', {}, p.target),
        el('td', {}, link(fmt(p.count), '/events', {...filters, source: p.source, target: p.target})), el('td', {}, p.goldstein))));
    const roots = table('roots', ['root', 'name', 'events'], s.by_root.map(r =>
      el('tr', {}, el('td', {}, link(r.key, '/events', {...filters, root: r.key})), el('td', {}, r.name || ''), el('td', {}, fmt(r.count)))));
    view.append(el('div', {class: 'grid'}, el('section', {}, el('h2', {}, 'Top actors'), actors),
      el('section', {}, el('h2', {}, 'Top pairs'), pairs), el('section', {}, el('h2', {}, 'CAMEO roots'), roots)));
  }

  async function networkPage(view, filters) {
    const data = await api('/api/network', filters);
    const panel = el('section', {id: 'edge-events'}, el('p', {class: 'muted'}, 'Click an edge to see its events, a node to filter on it.'));
    const onEdge = async e => {
      const params = {...filters, source: e.source, target: e.target, limit: 100};
      delete params.actor;
      const page = await api('/api/events', params);
      panel.replaceChildren(el('h2', {}, `${e.source} → ${e.target}: ${e.count} events`),
        exportLinks({...filters, source: e.source, target: e.target}), eventsTable(page.items));
    };
    const onNode = n => go('/network', {...filters, actor: n.id});
    view.append(figure('Actor network (states merged with their governments; edges coloured by dominant quad class, width by count)',
      'network', networkChart(data, onEdge, onNode), legend()), panel);
  }

  async function timelinePage(view, filters, params) {
    const interval = params.get('interval') || 'month';
    const t = await api('/api/timeline', {...filters, interval});
    const select = el('select', {name: 'interval', id: 'interval', onchange: ev => go('/timeline', {...filters, interval: ev.target.value})},
      ['day', 'week', 'month', 'year'].map(i => { const o = el('option', {value: i}, i); if (i === interval) o.selected = true; return o; }));
    if (!STATIC) view.append(el('p', {}, 'interval ', select));
    view.append(figure(`Events by ${interval} and quad class`, 'timeline', barChart(t.buckets, 1100), legend()));
    view.append(table('timeline', ['period', ...Object.values(QUAD_NAMES), 'total', 'Goldstein'], t.buckets.map(b =>
      el('tr', {}, el('td', {}, b.period), el('td', {}, b.q1), el('td', {}, b.q2), el('td', {}, b.q3), el('td', {}, b.q4),
        el('td', {}, b.total), el('td', {}, b.goldstein)))));
  }

  async function mapPage(view, filters) {
    const [world, data] = await Promise.all([STATIC ? DATA.world : api('/static/world.json'), api('/api/places', filters)]);
    view.append(figure('Events by place (green: mostly cooperation, red: mostly conflict)', 'map',
      mapChart(world, data.places, p => go('/events', {...filters, place: p.name}))));
    view.append(el('p', {class: 'muted'}, `Outline: ${world.source}.`));
    view.append(table('places', ['place', 'country', 'events', 'cooperation', 'conflict'], data.places.map(p =>
      el('tr', {}, el('td', {}, link(p.name, '/events', {...filters, place: p.name})), el('td', {}, p.country || ''),
        el('td', {}, p.count), el('td', {}, p.cooperation), el('td', {}, p.conflict)))));
  }

  async function eventsPage(view, filters, params) {
    const limit = Number(params.get('limit') || 50), offset = Number(params.get('offset') || 0);
    const sort = params.get('sort') || 'date', order = params.get('order') || 'asc';
    const page = await api('/api/events', {...filters, limit, offset, sort, order});
    const nav = (o) => go('/events', {...filters, limit, offset: o, sort, order});
    const sorter = el('select', {id: 'sort', onchange: ev => go('/events', {...filters, limit, sort: ev.target.value, order})},
      ((meta && meta.sorts) || ['date']).map(s => { const o = el('option', {value: s}, s); if (s === sort) o.selected = true; return o; }));
    const pager = el('div', {class: 'pager'},
      el('span', {id: 'events-total'}, `${fmt(page.total)} events`), `showing ${page.total ? offset + 1 : 0}–${Math.min(offset + limit, page.total)}`,
      el('button', {type: 'button', disabled: offset === 0 ? '' : null, onclick: () => nav(Math.max(0, offset - limit))}, '← previous'),
      el('button', {type: 'button', disabled: offset + limit >= page.total ? '' : null, onclick: () => nav(offset + limit)}, 'next →'),
      'sort ', sorter, el('button', {type: 'button', onclick: () => go('/events', {...filters, limit, sort, order: order === 'asc' ? 'desc' : 'asc'})}, order),
      exportLinks(filters));
    view.append(pager, el('p', {class: 'legend'}, el('mark', {class: 'src'}, 'source'), ' ', el('mark', {class: 'trg'}, 'trigger'), ' ',
      el('mark', {class: 'tgt'}, 'target')), eventsTable(page.items));
  }

  async function eventPage(view, id) {
    const e = await api('/api/events/' + encodeURIComponent(id));
    const d = e.document;
    view.append(el('h2', {}, `${e.source_code || '?'} → ${e.cameo} ${e.root_name || ''} → ${e.target_code || '–'}`));
    view.append(el('p', {class: 'sentence', id: 'event-sentence'}, highlight(e.sentence, e.sentence_spans)));
    const facts = [['date', `${e.date || '–'} (${e.date_precision || '?'}, ${e.date_origin || ''})`],
      ['source', `${e.source_code || '–'} ${e.source_name ? '(' + e.source_name + ')' : ''} ← “${e.source_text || ''}”`],
      ['target', `${e.target_code || '–'} ${e.target_name ? '(' + e.target_name + ')' : ''} ← “${e.target_text || ''}”`],
      ['CAMEO', `${e.cameo} (${e.root_name || ''}), ${e.quad_name}, Goldstein ${e.goldstein}`], ['PLOVER', e.plover || '–'],
      ['modality', e.modality], ['rule', e.rule], ['place', e.place_name ? `${e.place_name} (${e.place_country || ''})` : '–'],
      ['document', d.title || d.doc_id], ['source of the article', d.url || d.source || ''], ['event id', e.event_id]];
    view.append(el('dl', {class: 'facts', id: 'event-facts'}, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
    if (e.path && e.path.length) {
      view.append(el('details', {open: ''}, el('summary', {}, 'why: the parse path from trigger to actors'),
        el('ul', {}, e.path.map(s => el('li', {}, typeof s === 'string' ? s : JSON.stringify(s))))));
    }
    view.append(el('h3', {}, 'The article'), link('all events of this article', '/events', {doc: e.doc_id}));
    view.append(el('div', {class: 'article', id: 'article'}, d.text ? highlight(d.text, d.spans) : ''));
  }

  async function actorsPage(view, params) {
    const q = params.get('q') || '';
    const data = await api('/api/actors', q ? {q, limit: 200} : {limit: 200});
    view.append(el('p', {class: 'muted'}, `${fmt(data.total)} actors resolved`));
    view.append(table('actors', ['code', 'name', 'found as', 'mentions', 'as source', 'as target'], data.items.map(a =>
      el('tr', {}, el('td', {}, link(a.code, '/events', {actor: a.code})), el('td', {}, a.name || ''),
        el('td', {}, a.aliases.join(', ')), el('td', {}, a.mentions), el('td', {}, a.as_source), el('td', {}, a.as_target)))));
  }

  // -- shell ----------------------------------------------------------------------------------
  const form = document.getElementById('filters');
  function fillForm(params) {
    for (const k of FILTERS) if (form.elements[k]) form.elements[k].value = params.get(k) || (k === 'side' ? 'either' : '');
  }
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const {page} = route();
    const params = {};
    for (const k of FILTERS) {
      const v = (form.elements[k].value || '').trim();
      if (v && !(k === 'side' && v === 'either')) params[k] = ['actor', 'source', 'target', 'country'].includes(k) ? v.toUpperCase() : v;
    }
    go('/' + (page === 'event' ? 'events' : page), params);
  });
  document.getElementById('reset').addEventListener('click', () => go('/' + route().page, {}));

  let renders = 0;
  async function render() {
    // Pages render off-screen and replace the view only if no newer navigation started meanwhile.
    const seq = ++renders;
    delete document.body.dataset.ready;
    const {page, id, params} = route();
    const filters = filterParams(params);
    fillForm(params);
    const nav = document.getElementById('nav');
    nav.replaceChildren(...PAGES.map(([p, label]) => link(label, '/' + p, filters, p === page ? 'active' : null)));
    const view = el('div', {id: 'page-' + page});
    document.title = 'telex · ' + page;
    try {
      if (!meta) meta = await api('/api/meta');
      if (page === 'overview') await overview(view, filters);
      else if (page === 'network') await networkPage(view, filters);
      else if (page === 'timeline') await timelinePage(view, filters, params);
      else if (page === 'map') await mapPage(view, filters);
      else if (page === 'events') await eventsPage(view, filters, params);
      else if (page === 'event') await eventPage(view, id);
      else if (page === 'actors') await actorsPage(view, params);
      else view.append(el('p', {class: 'error'}, 'no such page'));
    } catch (error) {
      view.append(el('p', {class: 'error', id: 'error'}, String(error.message || error)));
    }
    if (seq !== renders) return;
    document.getElementById('view').replaceChildren(view);
    const mark = view.querySelector('#article mark.trg');
    if (mark) mark.scrollIntoView({block: 'center'});
    document.body.dataset.ready = page;
  }

  async function init() {
    if (STATIC) {
      const notice = document.getElementById('notice');
      notice.hidden = false;
      notice.textContent = `${DATA.title}: a static copy of the dashboard. Links narrow the event list; run telex serve for every filter.`;
      form.hidden = true;
      document.querySelector('.brand').setAttribute('href', '#/overview');
      document.getElementById('api-link').remove();
      window.addEventListener('hashchange', render);
    } else {
      window.addEventListener('popstate', render);
    }
    try {
      meta = await api('/api/meta');
      for (const [r, n] of Object.entries(meta.roots)) form.elements.root.append(el('option', {value: r}, `${r} ${n}`));
      for (const [q, n] of Object.entries(meta.quads)) form.elements.quad.append(el('option', {value: q}, `${q} ${n}`));
      for (const m of meta.modalities) form.elements.modality.append(el('option', {value: m}, m));
    } catch (error) {
      meta = null;
    }
    await render();
  }
  init();
})();
