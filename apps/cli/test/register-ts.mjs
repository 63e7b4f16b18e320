import { register } from 'node:module';

register('../../../tools/source-loader/ts-loader.mjs', import.meta.url);
