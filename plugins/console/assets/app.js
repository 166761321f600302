// The camera service's web console: one page, no framework. Everything it
// shows comes from the service's WebSocket JSON-RPC API (the same one every
// client uses); live video from GET <live-path><camera> (fragmented MP4 into
// Media Source Extensions). The token lives in sessionStorage only.
'use strict';

const TOKEN_KEY = 'camsvc.token';
const PAGE_SIZE = 12;
const ROLES = {viewer: 1, operator: 2, admin: 3};

const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? '';
const WS_PATH = meta('ws-path') || '/ws';
const LIVE_PATH = meta('live-path');
const $ = (selector, root = document) => root.querySelector(selector);

function element(tag, attributes = {}, ...children) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attributes)) {
		if (k === 'class') e.className = v;
		else if (k === 'text') e.textContent = v;
		else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
		else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
	}
	e.append(...children.filter((c) => c !== null && c !== undefined));
	return e;
}

function bytes(n) {
	if (typeof n !== 'number') return '–';
	const units = ['B', 'KB', 'MB', 'GB', 'TB'];
	let i = 0;
	while (n >= 1024 && i < units.length - 1) { n /= 1024; ++i; }
	return `${n.toFixed(i ? 1 : 0)} ${units[i]}`;
}

function clock(seconds) {
	seconds = Math.max(0, Math.floor(seconds));
	const h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
	const two = (x) => String(x).padStart(2, '0');
	return h ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

function when(iso) {
	const d = new Date(iso);
	return isNaN(d) ? '' : d.toLocaleString();
}

class RpcError extends Error {
	constructor(error) {
		super(error.message || 'error');
		this.code = error.code;
		this.data = error.data || {};
	}
}

// JSON-RPC 2.0 over one WebSocket: calls by id, notifications to a callback.
class Rpc {
	constructor(onNotification, onClose) {
		this.onNotification = onNotification;
		this.onClose = onClose;
		this.pending = new Map();
		this.nextId = 1;
		this.socket = null;
	}

	connect() {
		return new Promise((resolve, reject) => {
			const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
			const socket = new WebSocket(scheme + location.host + WS_PATH);
			this.socket = socket;
			socket.onopen = () => resolve();
			socket.onerror = () => reject(new Error('cannot reach the service'));
			socket.onmessage = (event) => this.receive(event.data);
			socket.onclose = () => {
				for (const p of this.pending.values()) p.reject(new Error('connection closed'));
				this.pending.clear();
				if (this.socket === socket) this.onClose();
			};
		});
	}

	close() {
		const socket = this.socket;
		this.socket = null;
		if (socket) socket.close(1000);
	}

	receive(text) {
		let message;
		try { message = JSON.parse(text); } catch { return; }
		for (const m of Array.isArray(message) ? message : [message]) {
			if (m.id === undefined || m.id === null) {
				if (m.method) this.onNotification(m.method, m.params || {});
				continue;
			}
			const p = this.pending.get(m.id);
			if (!p) continue;
			this.pending.delete(m.id);
			if (m.error) p.reject(new RpcError(m.error));
			else p.resolve(m.result);
		}
	}

	call(method, params) {
		if (!this.socket || this.socket.readyState !== WebSocket.OPEN)
			return Promise.reject(new Error('not connected'));
		const id = this.nextId++;
		const request = {jsonrpc: '2.0', method, id};
		if (params) request.params = params;
		return new Promise((resolve, reject) => {
			this.pending.set(id, {resolve, reject});
			this.socket.send(JSON.stringify(request));
		});
	}
}

// Reads the live stream's top-level MP4 boxes as they pass: the track's
// timescale (moov/.../mdhd) and each fragment's prft box (the wall clock at
// which the service muxed it, i.e. its frame left the encoder, and its media
// time), so the page can tell how late it shows a frame.
class ProducerClock {
	constructor() {
		this.pending = new Uint8Array(0);
		this.skip = 0;
		this.timescale = 0;
		this.wall = new Map(); // media time (ms) -> wall clock (ms since 1970)
	}

	feed(bytes) {
		let data = bytes;
		if (this.skip) {
			const n = Math.min(this.skip, data.length);
			this.skip -= n;
			data = data.subarray(n);
			if (!data.length) return;
		}
		if (this.pending.length) {
			const joined = new Uint8Array(this.pending.length + data.length);
			joined.set(this.pending);
			joined.set(data, this.pending.length);
			data = joined;
		}
		let at = 0;
		while (data.length - at >= 8) {
			const view = new DataView(data.buffer, data.byteOffset + at);
			const size = view.getUint32(0);
			const type = String.fromCharCode(data[at + 4], data[at + 5], data[at + 6], data[at + 7]);
			if (size < 8) { this.skip = Infinity; return; } // 64-bit sizes: the service never writes them
			if (type !== 'moov' && type !== 'prft') {
				if (data.length - at < size) { this.skip = size - (data.length - at); at = data.length; break; }
				at += size;
				continue;
			}
			if (data.length - at < size) break;
			this.box(type, new DataView(data.buffer, data.byteOffset + at, size));
			at += size;
		}
		this.pending = data.slice(at);
	}

	box(type, view) {
		if (type === 'moov') {
			for (let i = 8; i + 28 <= view.byteLength; ++i) {
				if (view.getUint32(i) !== 0x6d646864) continue; // 'mdhd'
				this.timescale = view.getUint32(i + (view.getUint8(i + 4) === 1 ? 24 : 16));
				return;
			}
		} else if (this.timescale && view.byteLength >= 28) {
			const wall = (view.getUint32(16) - 2208988800) * 1000 + view.getUint32(20) / 4294967296 * 1000;
			const media = view.getUint8(8) === 1 ? Number(view.getBigUint64(24)) : view.getUint32(24);
			this.wall.set(Math.round(media / this.timescale * 1000), wall);
			if (this.wall.size > 600) this.wall.delete(this.wall.keys().next().value);
		}
	}

	wallAt(mediaSeconds) {
		const ms = Math.round(mediaSeconds * 1000);
		return this.wall.get(ms) ?? this.wall.get(ms - 1) ?? this.wall.get(ms + 1);
	}
}

// A camera's live view: fetch() streams fragmented MP4, each piece is
// appended to a SourceBuffer; the player stays near the live edge and keeps
// a few seconds of buffer. Reconnects when the stream ends.
class LivePlayer {
	constructor(video, url, token, onState) {
		this.video = video;
		this.url = url;
		this.token = token;
		this.onState = onState;
		this.stopped = false;
		this.retry = null;
		this.latency = null;
	}

	start() {
		this.stopped = false;
		clearTimeout(this.retry);
		if (this.abort) this.abort.abort();
		// A run that ends after a newer one started must not touch the player.
		const run = this.runs = (this.runs || 0) + 1;
		this.run().catch((e) => { if (run === this.runs) this.failed(e); });
	}

	stop() {
		this.stopped = true;
		clearTimeout(this.retry);
		if (this.abort) this.abort.abort();
		this.release();
	}

	release() {
		if (this.objectUrl) {
			this.video.removeAttribute('src');
			this.video.load();
			URL.revokeObjectURL(this.objectUrl);
			this.objectUrl = null;
		}
	}

	failed(e) {
		if (this.stopped) return;
		this.release();
		this.onState(e && e.name !== 'AbortError' ? `reconnecting (${e.message})` : 'reconnecting');
		this.retry = setTimeout(() => this.start(), 2000);
	}

	async run() {
		this.abort = new AbortController();
		this.latency = null;
		this.onState('connecting');
		const response = await fetch(this.url, {headers: {Authorization: `Bearer ${this.token}`}, signal: this.abort.signal, cache: 'no-store'});
		if (!response.ok) {
			const body = await response.json().catch(() => ({}));
			throw new Error(body.reason || `HTTP ${response.status}`);
		}
		const type = response.headers.get('Content-Type');
		const clock = new ProducerClock();
		// ManagedMediaSource: Safari on iPhone (17.1+), which has no MediaSource.
		const Source = window.MediaSource || window.ManagedMediaSource;
		if (!Source || !Source.isTypeSupported(type)) {
			this.stopped = true;
			this.abort.abort();
			this.onState(`this browser cannot play ${type}`);
			return;
		}
		const source = new Source();
		if (Source !== window.MediaSource) this.video.disableRemotePlayback = true; // required by ManagedMediaSource
		this.objectUrl = URL.createObjectURL(source);
		this.video.src = this.objectUrl;
		await new Promise((resolve) => source.addEventListener('sourceopen', resolve, {once: true}));
		const buffer = source.addSourceBuffer(type);
		buffer.mode = 'segments';
		const queue = [];
		const pump = () => {
			if (buffer.updating || source.readyState !== 'open') return;
			const ranges = buffer.buffered;
			if (ranges.length) {
				const end = ranges.end(ranges.length - 1);
				// Behind the live edge: jump when far (a slow tab, dropped
				// fragments), play a little faster when a few frames behind.
				const lag = end - this.video.currentTime;
				if (lag > 1.0) this.video.currentTime = end - 0.05;
				else this.video.playbackRate = lag > 0.12 ? 1.1 : 1.0;
				if (this.video.currentTime - ranges.start(0) > 10) {
					buffer.remove(0, this.video.currentTime - 5);
					return;
				}
			}
			if (queue.length) buffer.appendBuffer(queue.shift());
		};
		buffer.addEventListener('updateend', pump);
		this.watchFrames(clock);
		this.video.play().catch(() => {});
		this.onState('live');
		const reader = response.body.getReader();
		for (;;) {
			const {done, value} = await reader.read();
			if (done || this.stopped) break;
			clock.feed(value);
			queue.push(value);
			pump();
		}
		throw new Error('stream ended');
	}

	watchFrames(clock) {
		if (!this.video.requestVideoFrameCallback) return;
		const video = this.video;
		const frame = (now, metadata) => {
			if (this.stopped || video.src !== this.objectUrl) return;
			// When the frame is on screen minus when it left the encoder.
			const encoded = clock.wallAt(metadata.mediaTime);
			if (encoded !== undefined) {
				this.latency = Math.round(performance.timeOrigin + metadata.expectedDisplayTime - encoded);
				video.dataset.latencyMs = String(this.latency);
			}
			video.requestVideoFrameCallback(frame);
		};
		video.requestVideoFrameCallback(frame);
	}
}

// A paged file list (recordings or snapshots).
class FileList {
	constructor(app, kind, list, pager) {
		this.app = app;
		this.kind = kind;
		this.list = list;
		this.pager = pager;
		this.offset = 0;
		this.total = 0;
	}

	async refresh() {
		let result;
		try {
			result = await this.app.rpc.call(`list_${this.kind}s`, {limit: PAGE_SIZE, offset: this.offset});
		} catch (e) {
			return this.app.notify(`Cannot list ${this.kind}s: ${e.message}`, 'error');
		}
		this.total = result.total || 0;
		if (this.offset && this.offset >= this.total) {
			this.offset = Math.max(0, this.total - PAGE_SIZE);
			return this.refresh();
		}
		this.list.replaceChildren(...result.files.map((f) => this.item(f)));
		if (!result.files.length) this.list.append(element('li', {class: 'empty', text: `No ${this.kind}s.`}));
		this.renderPager();
	}

	url(file) {
		const separator = file.download_url.includes('?') ? '&' : '?';
		return `${file.download_url}${separator}token=${encodeURIComponent(this.app.token)}`;
	}

	item(file) {
		const admin = this.app.atLeast('admin');
		const info = element('span', {class: 'info', text: `${bytes(file.file_size)} · ${when(file.modified_time)}`});
		const download = element('a', {href: this.url(file), download: file.filename, text: 'Download',
			onclick: (e) => e.stopPropagation()});
		const remove = admin ? element('button', {type: 'button', class: 'danger', text: 'Delete',
			'aria-label': `Delete ${file.filename}`, onclick: (e) => { e.stopPropagation(); this.confirmRemove(e.currentTarget, file); }}) : null;
		if (this.kind === 'snapshot') {
			const img = element('img', {src: this.url(file), alt: file.filename, loading: 'lazy'});
			const link = element('a', {href: this.url(file), target: '_blank', rel: 'noopener', onclick: (e) => e.stopPropagation()}, img);
			return element('li', {'data-testid': 'snapshot-item', 'data-filename': file.filename},
				link, element('span', {class: 'name', text: file.filename}), info, element('span', {class: 'actions'}, download, remove));
		}
		const play = element('button', {type: 'button', text: 'Play', 'aria-label': `Play ${file.filename}`});
		const li = element('li', {'data-testid': 'recording-item', 'data-filename': file.filename},
			play, element('span', {class: 'name', text: file.filename}), info, download, remove);
		li.addEventListener('click', () => this.app.play(file, this.url(file), li));
		return li;
	}

	confirmRemove(button, file) {
		// Two steps instead of a modal confirm(): the second press within 4 s deletes.
		if (button.dataset.armed) return this.remove(file);
		button.dataset.armed = 'true';
		button.textContent = 'Confirm delete';
		setTimeout(() => { delete button.dataset.armed; button.textContent = 'Delete'; }, 4000);
	}

	async remove(file) {
		try {
			await this.app.rpc.call(`delete_${this.kind}`, {filename: file.filename});
			this.app.notify(`${file.filename} deleted`, 'info');
		} catch (e) {
			this.app.notify(`Cannot delete ${file.filename}: ${e.message}`, 'error');
		}
		this.refresh();
	}

	renderPager() {
		const first = this.total ? this.offset + 1 : 0;
		const last = Math.min(this.offset + PAGE_SIZE, this.total);
		this.pager.replaceChildren(
			element('button', {type: 'button', text: '‹ Newer', disabled: this.offset === 0,
				onclick: () => { this.offset = Math.max(0, this.offset - PAGE_SIZE); this.refresh(); }}),
			element('span', {text: `${first}–${last} of ${this.total}`}),
			element('button', {type: 'button', text: 'Older ›', disabled: last >= this.total,
				onclick: () => { this.offset += PAGE_SIZE; this.refresh(); }}));
	}
}

class Console {
	constructor() {
		this.token = null;
		this.role = null;
		this.cards = new Map();      // device -> {card, camera, player, recording}
		this.rpc = null;
		this.reconnectDelay = 1000;
		this.recordings = new FileList(this, 'recording', $('#recording-list'), $('.pager[data-kind=recording]'));
		this.snapshots = new FileList(this, 'snapshot', $('#snapshot-list'), $('.pager[data-kind=snapshot]'));
		$('#login-form').addEventListener('submit', (e) => { e.preventDefault(); this.login($('#token').value.trim(), true); });
		$('#logout').addEventListener('click', () => this.logout());
		setInterval(() => this.tick(), 1000);
		// A tab nobody looks at holds no live view (nor the service's resources for it).
		document.addEventListener('visibilitychange', () => {
			for (const c of this.cards.values()) {
				if (!c.player) continue;
				if (document.hidden) c.player.stop();
				else c.player.start();
			}
		});
		setInterval(() => { if (this.rpc && !document.hidden) this.refreshSystem(); }, 10000);
		const saved = sessionStorage.getItem(TOKEN_KEY);
		if (saved) this.login(saved, false);
	}

	atLeast(role) {
		return (ROLES[this.role] || 0) >= ROLES[role];
	}

	notify(text, kind = 'warn') {
		const banner = $('#banner');
		banner.textContent = text;
		banner.className = `banner ${kind}`;
		banner.hidden = false;
		clearTimeout(this.bannerTimer);
		if (kind !== 'sticky') this.bannerTimer = setTimeout(() => { banner.hidden = true; }, 5000);
	}

	async login(token, interactive) {
		const error = $('#login-error');
		error.textContent = '';
		if (!token) return;
		const rpc = new Rpc((method, params) => this.notification(method, params), () => this.disconnected());
		try {
			await rpc.connect();
			const result = await rpc.call('authenticate', {auth_token: token});
			this.rpc = rpc;
			this.token = token;
			this.role = result.role;
			sessionStorage.setItem(TOKEN_KEY, token);
		} catch (e) {
			rpc.close();
			if (e instanceof RpcError || interactive) {
				sessionStorage.removeItem(TOKEN_KEY);
				error.textContent = e instanceof RpcError ? `Sign-in refused: ${e.data.reason || e.message}` : e.message;
				this.showLogin();
			} else {
				this.retryLogin(token);
			}
			return;
		}
		this.reconnectDelay = 1000;
		$('#banner').hidden = true;
		this.showApp();
		await this.loadAll();
	}

	retryLogin(token) {
		this.notify('Connection lost; reconnecting…', 'sticky');
		clearTimeout(this.reconnectTimer);
		this.reconnectTimer = setTimeout(() => this.login(token, false), this.reconnectDelay);
		this.reconnectDelay = Math.min(this.reconnectDelay * 2, 15000);
	}

	disconnected() {
		if (!this.token) return;
		this.rpc = null;
		this.retryLogin(this.token);
	}

	logout() {
		sessionStorage.removeItem(TOKEN_KEY);
		this.token = null;
		const rpc = this.rpc;
		this.rpc = null;
		if (rpc) rpc.close();
		for (const c of this.cards.values()) if (c.player) c.player.stop();
		this.cards.clear();
		$('#camera-grid').replaceChildren();
		$('#player').removeAttribute('src');
		this.showLogin();
	}

	showLogin() {
		$('#app').hidden = true;
		$('.who').hidden = true;
		$('#login').hidden = false;
		$('#token').value = '';
		$('#token').focus();
	}

	showApp() {
		$('#login').hidden = true;
		$('#app').hidden = false;
		$('.who').hidden = false;
		$('#role').textContent = this.role;
	}

	async loadAll() {
		await Promise.all([this.loadCameras(), this.recordings.refresh(), this.snapshots.refresh(), this.refreshSystem()]);
	}

	async loadCameras() {
		let result;
		try {
			result = await this.rpc.call('get_camera_list');
		} catch (e) {
			return this.notify(`Cannot list cameras: ${e.message}`, 'error');
		}
		const seen = new Set();
		for (const camera of result.cameras) {
			seen.add(camera.device);
			this.updateCamera(camera);
		}
		for (const [device, c] of this.cards) {
			if (seen.has(device)) continue;
			if (c.player) c.player.stop();
			c.card.remove();
			this.cards.delete(device);
		}
		this.updateCount();
	}

	updateCount() {
		const all = [...this.cards.values()];
		const connected = all.filter((c) => c.camera.status === 'CONNECTED').length;
		$('#camera-count').textContent = all.length ? `${connected} of ${all.length} connected` : '';
		$('#no-cameras').hidden = all.length > 0;
	}

	updateCamera(camera) {
		let c = this.cards.get(camera.device);
		if (!c) {
			const card = $('#camera-template').content.firstElementChild.cloneNode(true);
			card.dataset.device = camera.device;
			c = {card, camera, player: null, recording: null};
			this.cards.set(camera.device, c);
			const operator = this.atLeast('operator');
			// A viewer gets no controls at all, not disabled ones.
			if (!operator) $('.actions', card).remove();
			else {
				$('.snap', card).addEventListener('click', () => this.snapshot(c));
				$('.rec', card).addEventListener('click', () => this.toggleRecording(c));
			}
			$('#camera-grid').append(card);
		}
		c.camera = camera;
		const card = c.card;
		$('.label', card).textContent = camera.name || camera.stream_name || camera.device;
		const status = $('.status', card);
		status.textContent = camera.status;
		status.className = `status ${camera.status}`;
		const details = [camera.device, camera.resolution, camera.fps ? `${camera.fps} fps` : ''].filter(Boolean);
		$('.meta', card).textContent = details.join(' · ');
		card.dataset.status = camera.status;
		this.renderStreams(c);
		this.renderRecording(c);
		const live = $('[data-testid=live-view]', card);
		const state = $('.live-state', card);
		const wanted = camera.status !== 'DISCONNECTED' && LIVE_PATH;
		if (wanted && !c.player) {
			const url = LIVE_PATH + encodeURIComponent(camera.stream_name || camera.device);
			c.player = new LivePlayer(live, url, this.token, (text) => { state.textContent = text; });
			c.player.start();
		} else if (!wanted && c.player) {
			c.player.stop();
			c.player = null;
			state.textContent = LIVE_PATH ? 'offline' : 'live view disabled';
		} else if (!LIVE_PATH) {
			state.textContent = 'live view disabled';
		}
		this.updateCount();
	}

	renderStreams(c) {
		const streams = c.camera.streams || {};
		const links = [];
		if (streams.webrtc) links.push(element('a', {href: streams.webrtc, target: '_blank', rel: 'noopener', text: 'WebRTC'}));
		if (streams.hls) links.push(element('a', {href: streams.hls, target: '_blank', rel: 'noopener', text: 'HLS'}));
		if (streams.rtsp) links.push(element('code', {text: streams.rtsp}));
		const p = $('.streams', c.card);
		p.replaceChildren(...(links.length ? [element('span', {text: 'MediaMTX: '}), ...links] : []));
		p.hidden = !links.length;
	}

	renderRecording(c) {
		const button = $('.rec', c.card);
		if (!button) return;
		const on = !!c.recording;
		button.textContent = on ? 'Stop' : 'Record';
		button.setAttribute('aria-pressed', String(on));
		button.setAttribute('aria-label', on ? `Stop recording ${c.camera.name}` : `Record ${c.camera.name}`);
		c.card.dataset.recording = String(on);
		$('.timer', c.card).textContent = on ? `● ${clock((Date.now() - c.recording.since) / 1000)}` : '';
	}

	tick() {
		for (const c of this.cards.values()) {
			if (c.recording) this.renderRecording(c);
			// How late the picture is: encoder output to screen, measured per frame.
			const state = $('.live-state', c.card);
			if (c.player && c.player.latency !== null && state.textContent.startsWith('live'))
				state.textContent = `live · ${c.player.latency} ms`;
		}
	}

	cardFor(params) {
		if (this.cards.has(params.device)) return this.cards.get(params.device);
		for (const c of this.cards.values())
			if (c.camera.stream_name && c.camera.stream_name === params.device) return c;
		return null;
	}

	async snapshot(c) {
		const button = $('.snap', c.card);
		button.disabled = true;
		try {
			const r = await this.rpc.call('take_snapshot', {device: c.camera.device});
			this.notify(`Snapshot ${r.filename} saved`, 'info');
			this.snapshots.offset = 0;
			await this.snapshots.refresh();
		} catch (e) {
			this.notify(`Snapshot failed: ${e.message}`, 'error');
		} finally {
			button.disabled = false;
		}
	}

	async toggleRecording(c) {
		const button = $('.rec', c.card);
		button.disabled = true;
		try {
			if (c.recording) {
				const r = await this.rpc.call('stop_recording', {device: c.camera.device});
				c.recording = null;
				this.notify(`Recording ${r.filename} saved (${clock(r.duration || 0)})`, 'info');
				this.recordings.offset = 0;
				await this.recordings.refresh();
			} else {
				const r = await this.rpc.call('start_recording', {device: c.camera.device});
				c.recording = {filename: r.filename, since: Date.parse(r.start_time) || Date.now()};
			}
		} catch (e) {
			if (e.data && e.data.reason === 'camera_recording') c.recording = c.recording || {filename: e.data.filename, since: Date.now()};
			else if (e.data && e.data.reason === 'not_recording') c.recording = null;
			else this.notify(`Recording failed: ${e.message}`, 'error');
		} finally {
			button.disabled = false;
			this.renderRecording(c);
		}
	}

	notification(method, params) {
		if (method === 'camera_status_update') {
			if (this.cards.has(params.device)) this.updateCamera({...this.cards.get(params.device).camera, ...params});
			else this.loadCameras();
		} else if (method === 'recording_status_update') {
			const c = this.cardFor(params);
			if (c) {
				if (params.status === 'STARTED') c.recording = c.recording || {filename: params.filename, since: Date.now() - (params.duration || 0) * 1000};
				else c.recording = null;
				this.renderRecording(c);
			}
			if (params.status !== 'STARTED') this.recordings.refresh();
		} else if (method === 'snapshot_taken') {
			this.snapshots.refresh();
		}
	}

	play(file, url, item) {
		const player = $('#player');
		for (const li of document.querySelectorAll('[data-testid=recording-item].playing')) li.classList.remove('playing');
		item.classList.add('playing');
		$('.player-box').hidden = false;
		$('#player-title').textContent = file.filename;
		player.src = url;
		player.play().catch(() => {});
		player.scrollIntoView({block: 'nearest'});
	}

	async refreshSystem() {
		if (!this.rpc) return;
		const panel = $('#system-panel');
		const calls = [['Server', 'get_server_info', 'viewer']];
		if (this.atLeast('admin')) calls.push(['Status', 'get_status', 'admin'], ['Storage', 'get_storage_info', 'admin'], ['Metrics', 'get_metrics', 'admin']);
		const results = await Promise.all(calls.map(([, method]) => this.rpc.call(method).catch(() => null)));
		const sections = [];
		calls.forEach(([title, method], i) => {
			const r = results[i];
			if (r) sections.push(this.systemSection(title, method, r));
		});
		if (!this.atLeast('admin')) sections.push(element('section', {}, element('h3', {text: 'More'}),
			element('p', {class: 'hint', text: 'Status, storage and metrics need an admin token.'})));
		panel.replaceChildren(...sections);
	}

	systemSection(title, method, r) {
		const rows = [];
		const add = (k, v) => rows.push(element('dt', {text: k}), element('dd', {text: v}));
		const extra = [];
		if (method === 'get_server_info') {
			add('version', r.version);
			add('plugins', (r.plugins || []).map((p) => p.name).join(', '));
		} else if (method === 'get_status') {
			add('status', r.status);
			add('ready', String(r.ready));
			add('uptime', clock(r.uptime || 0));
			for (const [name, comp] of Object.entries(r.components || {})) add(name, `${comp.status}${comp.detail ? ` – ${comp.detail}` : ''}`);
		} else if (method === 'get_storage_info') {
			extra.push(element('div', {class: 'meter', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100,
				'aria-valuenow': r.usage_percentage, 'aria-label': 'disk used'}, element('span')));
			extra[0].firstChild.style.width = `${Math.min(100, r.usage_percentage || 0)}%`; // CSSOM: allowed by the page's CSP
			add('used', `${bytes(r.used_space)} of ${bytes(r.total_space)} (${r.usage_percentage}%)`);
			add('available', bytes(r.available_space));
			add('recordings', bytes(r.recordings_size));
			add('snapshots', bytes(r.snapshots_size));
			add('status', r.storage_status);
		} else {
			add('connections', String(r.active_connections));
			add('requests', String(r.total_requests));
			add('avg response', `${r.average_response_time} ms`);
			add('cpu', `${r.cpu_usage}%`);
			add('memory', bytes(r.resident_memory));
			add('threads', String(r.goroutines));
			add('cameras', String(r.cameras));
			add('recording now', String(r.recordings_in_progress));
		}
		return element('section', {'data-section': method}, element('h3', {text: title}), ...extra, element('dl', {}, ...rows));
	}
}

window.addEventListener('DOMContentLoaded', () => { window.cameraConsole = new Console(); });
