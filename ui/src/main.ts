import { mount } from "svelte";
import App from "./App.svelte";
import { tauriBackend } from "./lib/ipc";
import { AppStore } from "./lib/stores/app.svelte";
import "./app.css";

performance.mark("rv:boot");
const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

const store = new AppStore(tauriBackend);
mount(App, { target, props: { store } });
void store.listen().catch(() => {});
void store.load();
