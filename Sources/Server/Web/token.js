// The server's bearer token, when it requires one (gazetop serve --token). The page is opened as
// /?access_token=TOKEN; the token is kept for this tab only (sessionStorage) and taken out of the address
// bar at once, so a screenshot, a bookmark or a link copied from the page does not carry it. It is sent
// with every call: as Authorization: Bearer on fetches, as ?access_token= on the WebSocket (a browser's
// WebSocket cannot set a header).
const KEY = "gazetop-token";

function takeToken() {
  const params = new URLSearchParams(location.search);
  const given = params.get("access_token");
  let kept = null;
  try {
    if (given) sessionStorage.setItem(KEY, given);
    kept = sessionStorage.getItem(KEY);
  } catch { /* storage refused (a private window's policy): the address's token still serves this load */ }
  if (given) {
    params.delete("access_token");
    const query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }
  return given ?? kept;
}

const token = takeToken();

/** Headers that carry the token, if there is one. */
export function authorization() {
  return token ? { Authorization: "Bearer " + token } : {};
}

/** The WebSocket address of `path` on this server, with the token. */
export function socketURL(path) {
  const scheme = location.protocol === "https:" ? "wss://" : "ws://";
  return scheme + location.host + path + (token ? "?access_token=" + encodeURIComponent(token) : "");
}

/** What to say when the server refuses for want of the token (401, or a WebSocket closed with 1008). */
export const TOKEN_ADVICE = "This server requires its access token: open the page as "
  + location.origin + "/?access_token=TOKEN (the token given to gazetop serve --token).";
