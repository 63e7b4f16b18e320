/**
 * What the forms offer, from the libraries' registries through @optlab/experiment's catalog: the
 * same lists the spec validation and `optlab list` use, so the lab never has its own copy.
 */
import { defaultCatalog, type Catalog } from '@optlab/experiment';

export const catalog: Catalog = defaultCatalog();
