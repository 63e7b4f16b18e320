import { mount } from 'svelte';
import App from './App.svelte';
import { expressionEngineReady } from './lib/expression-engine-ready.js';
import './app.css';

void expressionEngineReady().then(() => mount(App, { target: document.getElementById('app')! }));
