/** Loads the shipped teacher's card of a dataset into the store (once per dataset). */
import { useEffect } from 'react';
import type { DatasetId } from '../domain';
import { datasetInfo, isImportedId } from '../domain';
import { selectTeacherCards } from '../state/selectors';
import type { TeacherCard, TeacherCardState } from '../state/store';
import { useHandles, useStudio } from './context';
import { teacherState } from './import/trainTeacher';

function missing(dataset: DatasetId, why: string): TeacherCardState {
  return { status: 'missing', message: `No shipped teacher for ${datasetInfo(dataset).label} yet (${why}): run npm run train:teacher -- --dataset ${dataset}` };
}

export async function fetchTeacherCard(dataset: DatasetId, base: string): Promise<TeacherCardState> {
  try {
    const res = await fetch(`${base}teachers/${dataset}/card.json`);
    if (!res.ok) return missing(dataset, `card.json answered ${res.status}`);
    const card = (await res.json()) as TeacherCard;
    if (!card.spec || typeof card.testAccuracy !== 'number' || !card.costs) return missing(dataset, 'card.json lacks spec, testAccuracy or costs');
    return { status: 'ok', card };
  } catch (err) {
    // A dev server answers index.html for a missing file, which is not JSON.
    return missing(dataset, err instanceof SyntaxError ? 'card.json not found' : String(err));
  }
}

export function useTeacherCard(dataset: DatasetId): TeacherCardState | null {
  const cards = useStudio(selectTeacherCards);
  const { store, importer } = useHandles();
  const state = cards[dataset] ?? null;
  useEffect(() => {
    if (store.getState().teacherCards[dataset]) return;
    store.getState().setTeacherCard(dataset, { status: 'loading' });
    // Imported images have no shipped teacher: the one trained here (if any) is in IndexedDB.
    const card = isImportedId(dataset)
      ? importer.teacherCard(dataset).then(teacherState, (e: unknown): TeacherCardState => ({ status: 'missing', message: `The teacher trained here could not be read: ${String(e)}` }))
      : fetchTeacherCard(dataset, import.meta.env.BASE_URL);
    void card.then((s) => store.getState().setTeacherCard(dataset, s));
  }, [store, importer, dataset]);
  return state;
}
