// The page's two views, chosen by the address's fragment (#live, #challenge) so the browser's back button
// and a bookmark work; moving to a view stops what the other was doing with the camera.
import { LiveView } from "./live.js";
import { ChallengeView } from "./challenge.js";

const views = {
  live: new LiveView(),
  challenge: new ChallengeView(),
};
let current = null;

function show(name, { focus }) {
  if (!(name in views)) name = "live";
  if (name === current) return;
  for (const [other, view] of Object.entries(views)) {
    const visible = other === name;
    document.getElementById(other).hidden = !visible;
    document.getElementById("nav-" + other).setAttribute("aria-current", visible ? "page" : "false");
    if (!visible) view.leave();
  }
  current = name;
  document.title = (name === "live" ? "Live view" : "Liveness challenge") + " - gazetop";
  // A keyboard or screen-reader user lands on the new view's heading, not at the top of the page.
  if (focus) document.getElementById(name + "-title").focus();
}

window.addEventListener("hashchange", () => show(location.hash.slice(1), { focus: true }));
show(location.hash.slice(1), { focus: false });
