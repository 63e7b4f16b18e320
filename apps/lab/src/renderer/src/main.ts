import { all, create } from 'mathjs';
import { mount } from 'svelte';
import { provideExpressionEngine } from '@optlab/models';
import App from './App.svelte';
import './app.css';

// The page parses expressions synchronously (the expression box, the spec check), so it bundles
// mathjs and hands it over before anything renders; the workers load it themselves
// (lib/expression-engine-ready.ts).
provideExpressionEngine({ create, all });
mount(App, { target: document.getElementById('app')! });
