/*
 * Rooms: the list of rooms people are in (GET /rooms, refreshed while the page is open) and the form that joins
 * or creates one. Moving to a room is a page load of /r/<room>: the old socket closes with the old page, and the
 * nickname goes along in the session cookie. The name rule is the server's (RoomName); the pure parts are
 * unit-tested in src/test/js/rooms.test.js.
 */
import {el} from './dom.js';

export const ROOM_RULE = 'A room name is 1 to 32 letters, digits, - or _ (no spaces).';
const ROOM_NAME = /^[A-Za-z0-9_-]{1,32}$/;
const REFRESH_MS = 15000;

/** The room's name as the server will have it (lower case), or null when the server would refuse it. */
export function roomName(raw) {
  const name = String(raw ?? '').trim();
  return ROOM_NAME.test(name) ? name.toLowerCase() : null;
}

/** The page of a room: `/` for the default room, `/r/<room>` for any other. */
export function roomUrl(contextPath, room, defaultRoom) {
  return contextPath + (room === defaultRoom ? '/' : '/r/' + encodeURIComponent(room));
}

/** The rooms from GET /rooms, well-formed entries only, as the server ordered them (busiest first). */
export function listedRooms(answer) {
  const rooms = answer && Array.isArray(answer.rooms) ? answer.rooms : [];
  return rooms.filter((r) => r && roomName(r.name) === r.name && Number.isInteger(r.online) && r.online >= 0);
}

/** The list of rooms with their online counts; the current room is marked and always listed. */
export class RoomsList {
  constructor(list, contextPath, current, defaultRoom) {
    this.list = list;
    this.contextPath = contextPath;
    this.current = current;
    this.defaultRoom = defaultRoom;
    this.timer = 0;
  }

  start() {
    this.refresh();
    this.timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  async refresh() {
    try {
      const response = await fetch(this.contextPath + '/rooms', {headers: {Accept: 'application/json'}});
      if (response.ok) {
        this.render(listedRooms(await response.json()));
      }
    } catch (e) {
      // Offline or the server restarting: keep the list shown; the next refresh tries again.
    }
  }

  render(rooms) {
    if (!rooms.some((r) => r.name === this.current)) {
      rooms = [{name: this.current, online: 0}, ...rooms];
    }
    this.list.replaceChildren(...rooms.map((r) => this.item(r)));
  }

  item(room) {
    const link = el('a', null, '#' + room.name);
    link.href = roomUrl(this.contextPath, room.name, this.defaultRoom);
    if (room.name === this.current) {
      link.setAttribute('aria-current', 'page');
    }
    const count = el('span', 'count', room.online > 0 ? String(room.online) : '');
    count.setAttribute('aria-label', room.online === 1 ? '1 person' : room.online + ' people');
    const item = el('li');
    item.append(link, count);
    return item;
  }
}

/** Join or create a room by name: checked as the server checks it, then the room's page. */
export class RoomForm {
  constructor(form, input, error, contextPath, defaultRoom) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const room = roomName(input.value);
      if (room === null) {
        error.textContent = ROOM_RULE;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
        return;
      }
      error.textContent = '';
      input.removeAttribute('aria-invalid');
      location.assign(roomUrl(contextPath, room, defaultRoom));
    });
  }
}
