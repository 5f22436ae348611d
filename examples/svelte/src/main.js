import 'faceswap-elements'; // registers <faceswap-session>, <faceswap-player>, <face-source-picker>
import { mount } from 'svelte';
import App from './App.svelte';

mount(App, { target: document.getElementById('app') });
