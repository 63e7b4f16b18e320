import { describe, expect, it } from 'vitest';
import {
  fileStem,
  isInside,
  validateExportName,
  validateFileText,
  validateWorkspacePath,
  WorkspacePathError,
} from '../src/shared/paths.js';

describe('validateWorkspacePath', () => {
  it('accepts relative paths with an allowed extension and normalises nothing else', () => {
    expect(validateWorkspacePath('experiments/adam.json')).toBe('experiments/adam.json');
    expect(validateWorkspacePath('runs/a/metrics.jsonl')).toBe('runs/a/metrics.jsonl');
    expect(validateWorkspacePath('exports/loss.png')).toBe('exports/loss.png');
  });

  it.each([
    ['../secret.json', 'leaves the workspace'],
    ['experiments/../../x.json', 'leaves the workspace'],
    ['./a.json', 'leaves the workspace'],
    ['a//b.json', 'empty part'],
    ['/etc/passwd.json', 'is absolute'],
    ['C:/Windows/x.json', 'is absolute'],
    ['a\\b.json', 'uses "\\"'],
    ['a\u0000.json', 'control character'],
    ['notes.txt', 'must end in one of .json, .jsonl, .csv, .png'],
    ['', 'path is empty'],
    ['a|b.json', 'not allowed in file names'],
  ])('refuses %j (%s)', (path, message) => {
    expect(() => validateWorkspacePath(path)).toThrow(WorkspacePathError);
    expect(() => validateWorkspacePath(path)).toThrow(message);
  });

  it('refuses non-strings and overlong paths with the reason', () => {
    expect(() => validateWorkspacePath(42)).toThrow('path must be a string, got number');
    expect(() => validateWorkspacePath(null)).toThrow('got null');
    expect(() => validateWorkspacePath(`${'a'.repeat(260)}.json`)).toThrow('longer than 255');
  });

  it('accepts directories (no extension, empty for the root) only when asked', () => {
    expect(validateWorkspacePath('', { directory: true })).toBe('');
    expect(validateWorkspacePath('experiments/', { directory: true })).toBe('experiments');
    expect(() => validateWorkspacePath('experiments')).toThrow('must end in one of');
    expect(() => validateWorkspacePath('../x', { directory: true })).toThrow(
      'leaves the workspace',
    );
  });
});

describe('isInside', () => {
  it('is separator-aware', () => {
    expect(isInside('/ws', '/ws')).toBe(true);
    expect(isInside('/ws', '/ws/a.json')).toBe(true);
    expect(isInside('/ws', '/ws-other/a.json')).toBe(false);
    expect(isInside('/ws/', '/ws/a/b.json')).toBe(true);
    expect(isInside('C:\\ws', 'C:\\ws\\a.json', '\\')).toBe(true);
    expect(isInside('C:\\ws', 'C:\\wsx\\a.json', '\\')).toBe(false);
  });
});

describe('file content and export names', () => {
  it('refuses non-text content', () => {
    expect(validateFileText('{}')).toBe('{}');
    expect(() => validateFileText({})).toThrow('file content must be text, got object');
  });

  it('export names are bare file names', () => {
    expect(validateExportName('results.csv')).toBe('results.csv');
    expect(() => validateExportName('dir/results.csv')).toThrow('must be a file name, not a path');
    expect(() => validateExportName('results.exe')).toThrow('must end in one of');
  });

  it('fileStem makes safe stems from titles', () => {
    expect(fileStem('Adam vs NAdam on x²')).toBe('adam-vs-nadam-on-x2');
    expect(fileStem('Seed: SGD vs Momentum vs Adam (linear regression)')).toBe(
      'seed-sgd-vs-momentum-vs-adam-linear-regression',
    );
    expect(fileStem('***')).toBe('experiment');
  });
});
