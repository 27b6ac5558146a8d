// Services and jobs, and what each one really gets: its effective runtime environment and build arguments as the
// server resolves them, each key with the group (or addon) it comes from and every value it shadows, and the warnings
// of the resolution and of the project. The console resolves nothing itself; it shows the `details` answers.

import { get, listAll, projectPath } from './api.js';
import { cell, crumbs, groupHref, h, heading, projectHref, projectTabs, replace, table } from './dom.js';
import { alertRegion, showError } from './errors.js';
import { createVault } from './values.js';

const KINDS = { services: 'service', jobs: 'job' };

export async function renderList(page, { projectId }) {
  const alert = alertRegion();
  const top = [crumbs([['Projects', '#/projects'], [projectId, projectHref(projectId)], ['services and jobs']]), heading(projectId),
    projectTabs(projectId, 'workloads')];
  replace(page, top, alert, h('p', { class: 'muted' }, 'Loading…'));
  const sections = [];
  for (const kind of Object.keys(KINDS)) {
    try {
      const workloads = await listAll(projectPath(projectId, kind), kind);
      sections.push(h('h2', {}, kind === 'services' ? 'Services' : 'Jobs'), workloads.length
        ? table(['Name', 'Id', 'Tags', 'Stage'], workloads.map((workload) => h('tr', {},
          cell('Name', h('a', { href: projectHref(projectId, `/${kind}/${encodeURIComponent(workload.id)}`) }, workload.name)),
          cell('Id', h('code', {}, workload.id)), cell('Tags', (workload.tags ?? []).join(', ')), cell('Stage', workload.stageId ?? '')))).wrap
        : h('p', { class: 'empty' }, `No ${kind}.`));
    } catch (error) {
      showError(alert, error);
    }
  }
  replace(page, top, alert, sections);
}

export async function renderWorkload(page, { projectId, kind, workloadId }) {
  const alert = alertRegion();
  const base = projectPath(projectId, kind, workloadId);
  const trail = [
    ['Projects', '#/projects'], [projectId, projectHref(projectId)], ['services and jobs', projectHref(projectId, '/workloads')], [workloadId],
  ];
  const top = [crumbs(trail),
    projectTabs(projectId, 'workloads'), heading(workloadId, KINDS[kind])];
  replace(page, top, alert, h('p', { class: 'muted' }, 'Resolving…'));
  let runtime;
  let build;
  try {
    [{ data: runtime }, { data: build }] = await Promise.all([get(`${base}/runtime-environment/details`), get(`${base}/build-arguments/details`)]);
  } catch (error) {
    replace(page, top, alert);
    return showError(alert, error);
  }
  const vault = createVault(page);
  const phases = [
    ['runtime', 'Runtime environment', [['Variables', runtime.runtimeEnvironment, false], ['Files', runtime.runtimeFiles, true]], runtime.warnings],
    ['build', 'Build arguments',
      [['Arguments', build.buildArguments, false], ['Files', build.buildFiles, true], ['Docker secret mounts', build.dockerSecretMounts, true]],
      build.warnings],
  ];
  const panels = phases.map(([id, title, tables, warnings]) => h('section', { id: `phase-${id}`, 'aria-labelledby': `phase-${id}-title` },
    h('h2', { id: `phase-${id}-title` }, title),
    warningList(warnings),
    tables.map(([label, entries, isFile]) => explained(projectId, label, entries ?? {}, vault, isFile))));
  replace(page, top, alert, phaseTabs(panels), panels);
}

/** Tabs between the two phases; both are in the page, one shown. Arrow keys move between tabs, as the pattern asks. */
function phaseTabs(panels) {
  const buttons = panels.map((panel, index) => h('button', {
    type: 'button', role: 'tab', id: `${panel.id}-tab`, 'aria-controls': panel.id,
    'aria-selected': String(index === 0), tabindex: index === 0 ? '0' : '-1',
  }, panel.querySelector('h2').textContent));
  const select = (index) => {
    buttons.forEach((button, other) => {
      button.setAttribute('aria-selected', String(other === index));
      button.tabIndex = other === index ? 0 : -1;
      panels[other].hidden = other !== index;
    });
    buttons[index].focus();
  };
  panels.forEach((panel, index) => { panel.setAttribute('role', 'tabpanel'); panel.hidden = index !== 0; });
  buttons.forEach((button, index) => {
    button.addEventListener('click', () => select(index));
    button.addEventListener('keydown', (event) => {
      const step = { ArrowRight: 1, ArrowLeft: buttons.length - 1 }[event.key];
      if (step) select((index + step) % buttons.length);
    });
  });
  return h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Phase' }, buttons);
}

function warningList(warnings) {
  if (!warnings?.length) return h('p', { class: 'muted' }, 'No warnings.');
  return h('div', { class: 'warnings', role: 'note' }, h('strong', {}, `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`),
    h('ul', {}, warnings.map((warning) => h('li', {}, warning))));
}

/** One table of explained keys: value (masked), where it comes from, and what it shadows (masked too). */
function explained(projectId, label, entries, vault, isFile) {
  const keys = Object.keys(entries).sort();
  const title = h('h3', {}, `${label} `, h('span', { class: 'muted' }, `(${keys.length})`));
  if (keys.length === 0) return [title, h('p', { class: 'empty' }, `No ${label.toLowerCase()}.`)];
  const rows = keys.map((key) => {
    const entry = entries[key];
    const shadowed = entry.overriding?.length
      ? h('ul', { class: 'shadowed' }, entry.overriding.map((loser, index) => {
        const cells = vault.add(`${key} from ${loser.inheritedFrom ?? 'the workload'}`, loser.value, { isFile, as: 'span' });
        return h('li', { dataset: { shadow: String(index) } }, source(projectId, loser), ' ', cells[0], ' ', cells[1]);
      }))
      : h('span', { class: 'muted' }, 'nothing');
    return h('tr', { dataset: { key } }, h('td', { class: 'key', 'data-label': 'Key' }, key),
      ...vault.add(key, entry.value, { isFile }),
      cell('Source', source(projectId, entry)), cell('Shadows', shadowed));
  });
  return [title, table(['Key', 'Value', '', 'Source', 'Shadows'], rows).wrap];
}

/** Where a value comes from: a group (linked), an addon through a group, or the workload's own settings. */
function source(projectId, entry) {
  if (!entry.inheritedFrom) return h('span', {}, 'set on the workload itself');
  const group = h('a', { href: groupHref(projectId, entry.inheritedFrom) }, entry.inheritedFrom);
  const priority = entry.priority === undefined || entry.priority === null ? '' : ` (priority ${entry.priority})`;
  return entry.addonId ? h('span', {}, 'addon ', h('code', {}, entry.addonId), ' via ', group, priority) : h('span', {}, 'group ', group, priority);
}
