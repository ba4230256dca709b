// The package's entry: the plugin factory, with the .wasm found beside this module.
import { makeFactory } from './factory.js';

export default makeFactory();
