/* enumerations.js - the closed lists the API accepts (GET /api/v1/enumerations: contract
 * channels and end reasons, professions, member roles, institution kinds, ...), fetched
 * once for the page's life, so a form offers exactly the words the server takes from the
 * server's own lists (src/domain/vocabulary.c) rather than a copy kept here. The words
 * only: their labels are the i18n's (label(kind, word)). */
import { api } from './api.js';

let lists = null;

/* Every list by name ({contract_channels: [...], ...}). */
export async function enumerations() {
  if (!lists) {
    lists = api.get('/enumerations').catch((error) => {
      lists = null;
      throw error;
    });
  }
  return lists;
}
