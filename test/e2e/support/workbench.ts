/**
 * A page object for the VS Code workbench in the browser: everything is done
 * the way a person would do it (keyboard shortcuts, the command palette,
 * Quick Open), and everything is read back from the DOM the person sees.
 */
import type { Frame, Page } from 'playwright-core';
import { until, untilObserved } from './wait.js';

/** Monaco renders spaces as non-breaking spaces; compare text without them. */
export function normalizeText(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Opens a folder and waits until the explorer shows its files. */
  async openFolder(baseUrl: string, folder: string): Promise<void> {
    await this.page.goto(`${baseUrl}/?folder=${encodeURIComponent(folder)}`);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    await this.closeAllEditors();
  }

  async closeAllEditors(): Promise<void> {
    if ((await this.page.locator('.tabs-container .tab').count()) === 0) return;
    await this.runCommand('View: Close All Editors');
    await until('all editors closed', async () => (await this.page.locator('.tabs-container .tab').count()) === 0);
  }

  /** F1, type the command's title, pick the row with exactly that label. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    await row.click();
    await input.waitFor({ state: 'hidden' });
  }

  /**
   * Opens a file as a person would: a double click on it in the Explorer for
   * top-level files (fast), Quick Open (Ctrl+P) for paths in subfolders.
   */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop() ?? relativePath;
    if (relativePath.includes('/')) {
      await this.quickOpen(relativePath, name);
    } else {
      const row = this.page
        .locator('.explorer-folders-view .monaco-list-row')
        .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) })
        .first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.dblclick();
    }
    await this.page
      .locator('.tabs-container .tab.active')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) })
      .waitFor({ timeout: 20_000 });
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor();
    await this.focusEditor();
  }

  /** Expands a folder of the Explorer with a click, unless it is expanded already. */
  async expandExplorerFolder(name: string): Promise<void> {
    const row = this.page
      .locator('.explorer-folders-view .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await until(`the Explorer folder '${name}' to expand`, async () => (await row.getAttribute('aria-expanded')) === 'true');
  }

  /** The names the Explorer shows, top to bottom. */
  async explorerNames(): Promise<string[]> {
    return (await this.page.locator('.explorer-folders-view .monaco-list-row .label-name').allInnerTexts()).map(normalizeText);
  }

  private async quickOpen(relativePath: string, name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    const row = this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) })
      .first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await this.page.keyboard.press('Enter');
  }

  activeEditor(): ReturnType<Page['locator']> {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  async focusEditor(): Promise<void> {
    await this.page.locator('.editor-group-container.active .editor-instance .monaco-editor textarea').first().focus();
    await until('the editor to have focus', async () => (await this.page.locator('.monaco-editor.focused').count()) > 0);
  }

  /** Ctrl+G with a 1-based line and column. */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await until(`the cursor at ${line}:${column}`, async () => {
      const status = await this.statusBarText();
      return status.includes(`Ln ${line}, Col ${column}`);
    });
  }

  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 15 });
  }

  async press(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  async statusBarText(): Promise<string> {
    return normalizeText(await this.page.locator('.part.statusbar').innerText());
  }

  /** The visible lines of the active editor, top to bottom. */
  async visibleLines(): Promise<string[]> {
    const lines = await this.activeEditor()
      .locator('.view-lines .view-line')
      .evaluateAll((nodes) =>
        nodes
          .map((n) => ({ top: parseFloat((n as HTMLElement).style.top || '0'), text: n.textContent ?? '' }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text),
      );
    return lines.map(normalizeText);
  }

  async codeLensTexts(): Promise<string[]> {
    const texts = await this.activeEditor().locator('.codelens-decoration').allInnerTexts();
    return texts.map(normalizeText).filter((t) => t.trim() !== '');
  }

  /** Shows the hover at the cursor (Ctrl+K Ctrl+I) and returns its text once `accept` likes it. */
  async hoverAtCursor(accept: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return untilObserved(
      'a hover',
      async () => {
        const visible = this.page.locator('.monaco-hover:not(.hidden) .monaco-hover-content');
        if ((await visible.count()) === 0 || !(await visible.first().isVisible())) {
          await this.page.keyboard.press('Control+K');
          await this.page.keyboard.press('Control+I');
          await visible.first().waitFor({ state: 'visible', timeout: 3_000 });
        }
        return normalizeText((await visible.allInnerTexts()).join('\n'));
      },
      accept,
      { timeoutMs, intervalMs: 250 },
    );
  }

  async dismissWidgets(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  /**
   * Opens the suggest widget (Ctrl+Space) and walks the whole list with the
   * Down key, because the widget only renders the rows in view.
   */
  async allSuggestions(onOpen?: () => Promise<unknown>, timeoutMs = 20_000): Promise<string[]> {
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    await until(
      'the suggest widget with entries',
      async () => {
        if ((await widget.count()) === 0) await this.page.keyboard.press('Control+Space');
        await widget.waitFor({ state: 'visible', timeout: 3_000 });
        const message = widget.locator('.message').first();
        const shown = (await message.count()) > 0 && (await message.isVisible()) ? normalizeText(await message.innerText()) : '';
        if (/loading/i.test(shown)) return false;
        if ((await widget.locator('.monaco-list-row').count()) > 0) return true;
        // A request answered while the document was still changing (an automatic
        // trigger while typing, a cancelled request) leaves "No suggestions."
        // on screen; the widget never asks again by itself, so close and ask again.
        if (shown) {
          await this.page.keyboard.press('Escape');
          throw new Error(`the widget said "${shown}"`);
        }
        return false;
      },
      { timeoutMs, intervalMs: 250 },
    );
    await onOpen?.();
    // The widget may refresh its list (and reset the focus) while it is walked,
    // so labels are collected by row index until every index has been seen.
    const focusedRow = async (): Promise<{ index: number; label: string; total: number } | undefined> =>
      widget.evaluate((root) => {
        const row = root.querySelector('.monaco-list-row.focused');
        if (!row) return undefined;
        return {
          index: Number(row.getAttribute('data-index')),
          label: row.querySelector('.label-name')?.textContent ?? '',
          total: Number(row.getAttribute('aria-setsize')),
        };
      });
    const byIndex = new Map<number, string>();
    let current = await until('a focused suggestion', focusedRow);
    for (let step = 0; step < 1_000 && byIndex.size < current.total; step += 1) {
      byIndex.set(current.index, normalizeText(current.label.trim()));
      if (byIndex.size >= current.total) break;
      const previous = current.index;
      await this.page.keyboard.press('ArrowDown');
      let pressedAt = Date.now();
      current = await until('the next suggestion to be focused', async () => {
        const next = await focusedRow();
        if (next && next.index !== previous) return next;
        // A refreshed list can swallow the key press: press again (indices already seen do no harm).
        if (Date.now() - pressedAt > 1_500) {
          await this.page.keyboard.press('ArrowDown');
          pressedAt = Date.now();
        }
        return undefined;
      });
    }
    const labels = [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, label]) => label);
    return labels;
  }

  /** Ctrl+. at the cursor, then moves down to the code action whose title matches and applies it with Enter. */
  async applyCodeAction(title: RegExp): Promise<string> {
    await this.page.keyboard.press('Control+.');
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await rows.filter({ hasText: title }).first().waitFor({ state: 'visible', timeout: 20_000 });
    const focused = this.page.locator('.action-widget .monaco-list-row.action.focused').first();
    const count = await rows.count();
    for (let i = 0; i <= count; i += 1) {
      const text = normalizeText(await focused.innerText().catch(() => ''));
      if (title.test(text)) {
        await this.page.keyboard.press('Enter');
        await rows.first().waitFor({ state: 'hidden' });
        return text;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`no code action matching ${title}: ${(await rows.allInnerTexts()).join(' | ')}`);
  }

  async codeActionTitles(): Promise<string[]> {
    return (await this.page.locator('.action-widget .monaco-list-row.action').allInnerTexts()).map(normalizeText);
  }

  /** Opens the Problems panel (if it is not showing) and returns its text. */
  async problemsText(): Promise<string> {
    const panel = this.page.locator('.markers-panel');
    if ((await panel.count()) === 0 || !(await panel.first().isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.first().waitFor({ state: 'visible' });
    }
    return normalizeText(await panel.first().innerText());
  }

  async waitForProblems(what: string, accept: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
    return untilObserved(what, () => this.problemsText(), accept, { timeoutMs, intervalMs: 100 });
  }

  /** The problem counts of the status bar (errors, warnings). */
  async problemCounts(): Promise<{ errors: number; warnings: number }> {
    const label = (await this.page.locator('.statusbar-item[id="status.problems"] a, #status\\.problems a').first().getAttribute('aria-label')) ?? '';
    if (/no problems/i.test(label)) return { errors: 0, warnings: 0 };
    const errors = /(\d+) errors?/i.exec(label);
    const warnings = /(\d+) warnings?/i.exec(label);
    return { errors: errors ? Number(errors[1]) : 0, warnings: warnings ? Number(warnings[1]) : 0 };
  }

  /** F2 on the symbol under the cursor, then the new name. */
  async rename(newName: string): Promise<void> {
    await this.page.keyboard.press('F2');
    const input = this.page.locator('.rename-box input').first();
    await input.waitFor({ state: 'visible', timeout: 20_000 });
    await input.fill(newName);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden', timeout: 20_000 });
  }

  /** Webview frames (nested iframes, not the workbench itself) whose document matches a selector. */
  async framesWith(selector: string): Promise<Frame[]> {
    const found: Frame[] = [];
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      try {
        if ((await frame.locator(selector).count()) > 0) found.push(frame);
      } catch {
        // a frame that navigated away or is not ready
      }
    }
    return found;
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}
