import { render } from "preact";
import { App } from "./App";
import { watchInstall } from "./app/install";
import { startPwa } from "./app/pwa";
import { resumeRuntime } from "./app/runtime";
import "./styles.css";

resumeRuntime();
startPwa();
watchInstall();
const root = document.getElementById("app");
if (root) render(<App />, root);
