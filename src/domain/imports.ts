/**
 * Plain types of importing the user's own images (folder or zip → decode worker → IndexedDB),
 * shared by the import worker, the bridge and the UI. No code with effects here.
 */
import type { ModelSpec } from './config';
import type { ModelCosts } from './messages';
import type { ImportedDatasetId } from './registry';

export type ResizeMode = 'stretch' | 'crop' | 'pad';
export type ColourMode = 'rgb' | 'grey';

export interface ImportSettings {
  /** Output height and width in pixels. */
  height: number;
  width: number;
  colour: ColourMode;
  resize: ResizeMode;
  /** Share of each class held out as test images when the folder has no train/ and test/ split. */
  testShare: number;
  /** Seed of the stratified split (the run's seed when the import started). */
  seed: number;
}

export const RESIZE_MODES: Record<ResizeMode, { label: string; blurb: string }> = {
  stretch: { label: 'Stretch', blurb: 'Scale to the exact size; shapes distort when the aspect ratio differs.' },
  crop: { label: 'Centre-crop', blurb: 'Keep the aspect ratio and cut the longer side to fit.' },
  pad: { label: 'Pad', blurb: 'Keep the whole image and the aspect ratio; fill the rest with black.' },
};

export const DEFAULT_IMPORT: ImportSettings = { height: 32, width: 32, colour: 'rgb', resize: 'stretch', testShare: 0.2, seed: 1 };

/** Limits that stop hostile or broken input early; stated in the UI and in the messages. */
export const IMPORT_LIMITS = {
  /** A single image file larger than this is skipped unread. */
  maxFileBytes: 64 * 1024 * 1024,
  /** An image whose header claims more pixels than this is skipped undecoded. */
  maxPixels: 40_000_000,
  /** A zip stops (nothing is kept) when its entries inflate to more than this in total... */
  maxInflatedBytes: 2 * 1024 * 1024 * 1024,
  /** ...or when it has more entries than this. */
  maxEntries: 200_000,
  /** Classes with fewer training images than this are flagged. */
  fewImages: 10,
};

/** A file the import left out, by reason (one group per reason in the summary). */
export type SkipReason = 'empty' | 'not-image' | 'unsupported' | 'too-large' | 'too-many-pixels' | 'corrupt' | 'outside-classes' | 'unsafe-path' | 'zip-entry';

export interface SkippedGroup {
  reason: SkipReason;
  /** What is wrong, in words, and what to do. */
  text: string;
  fix: string;
  count: number;
  /** The first few file paths (all of them up to a limit). */
  files: string[];
}

export interface ImportSummary {
  id: ImportedDatasetId;
  /** Full SHA-256 fingerprint (hex) of the settings, images, labels and split. */
  fingerprint: string;
  /** The folder or zip name the images came from. */
  name: string;
  classNames: string[];
  shape: [number, number, number];
  settings: ImportSettings;
  /** 'folders': train/ and test/ (or val/) folders; 'stratified': split here by seed and share. */
  split: 'folders' | 'stratified';
  trainPerClass: number[];
  testPerClass: number[];
  skipped: SkippedGroup[];
  /** OS clutter (__MACOSX/, ._*, .DS_Store, Thumbs.db) skipped silently. */
  clutter: number;
  /** Files whose bytes equal another file's; `leaks`: such pairs across train and test. */
  duplicates: {
    count: number; examples: string[][]; leaks: number; leakExamples: string[][];
    /** Classes holding exact copies of their own images: images and distinct pictures (absent in imports saved before it was counted). */
    withinClass?: { className: string; images: number; distinct: number }[];
  };
  /** Class names with fewer than IMPORT_LIMITS.fewImages training images. */
  fewClasses: string[];
  /** Class folders that held no usable image (left out; their names are listed). */
  emptyClasses: string[];
  /** Images whose size differed from the first one (all resized, none refused). */
  mixedSizes: number;
  /** Greyscale images in a colour import, or colour ones in a greyscale import (all converted). */
  mixedChannels: number;
  bytes: number;
  /** [height, width] of the first image as found on disk, before the resize (absent in imports saved before it was kept). */
  sourceSize?: [number, number];
  importedAt: number;
  importMs: number;
}

export interface ImportProgress { phase: 'reading' | 'decoding' | 'saving'; done: number; total: number; message: string }

/** The decoded sample of a staged import, for the resize preview. */
export interface ImportPreview {
  shape: [number, number, number];
  /** A few decoded images [n,H,W,C] with the given settings, and their class names. */
  images: Uint8Array;
  labels: string[];
  /** 28×28 greyscale when the sampled images are grey, else 32×32 RGB. */
  suggested: Pick<ImportSettings, 'colour' | 'height' | 'width'>;
  /** [height, width] of the first sampled image before the resize; null when none decoded. */
  sourceSize: [number, number] | null;
  /** The layout found: class folders (code-point order), split folders or not, files staged. */
  classNames: string[];
  split: 'folders' | 'stratified';
  files: number;
}

/** A trained-here teacher's card, saved with its weights next to the imported dataset. */
export interface SavedTeacherCardData {
  dataset: ImportedDatasetId; runId: string; testAccuracy: number; spec: ModelSpec; costs: ModelCosts;
  recipe: Record<string, unknown>; trainedOn: Record<string, unknown>;
}
