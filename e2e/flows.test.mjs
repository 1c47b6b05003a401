// The flows a person clicks through, in a real browser: sign in with a code, switch
// language, be refused another facility, sign out; and a new director setting up the
// second factor. Screenshots go to e2e/artifacts/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browser, cli, pdfPages, shot, startDemo, totp, workdir } from './support.mjs';

const here = dirname(fileURLToPath(import.meta.url));

let work, demo, chrome;

before(async () => {
  work = workdir();
  demo = await startDemo(work);
  cli(work, ['facility', 'add', 'momiji', '--name', 'もみじ眼科クリニック', '--kind', 'clinic']);
  cli(work, ['user', 'add', '--facility', 'momiji', '--role', 'director', '--email', 'inchou@momiji.example'], 'Ganka-Shinryo-2026!\n');
  chrome = await browser();
});

after(async () => {
  await chrome?.close();
  demo?.child.kill();
});

/** Fails when the page shows an English sentence (five words or more) outside `code`, `pre`
 * and elements marked `lang="en"` (an original text kept beside its Japanese words). */
async function noEnglishSentence(page) {
  const found = await page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || el.closest('code, pre, script, style, [lang="en"]')) continue;
      const m = n.textContent.match(/[A-Za-z][A-Za-z'’-]*(\s+[A-Za-z][A-Za-z'’-]*){4,}/);
      if (m) out.push(m[0]);
    }
    return out;
  });
  assert.deepEqual(found, [], `English on ${page.url()}`);
}

async function newPage(locale = 'ja-JP') {
  const context = await chrome.newContext({ locale, viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

test('the demo director signs in with a code, looks around, is refused another facility, signs out', async () => {
  const page = await newPage();
  await page.goto(demo.url);
  assert.match(page.url(), /\/login$/);
  await shot(page, '01-login');
  await page.getByLabel('メールアドレス').fill(demo.email);
  await page.getByLabel('パスワード').fill(demo.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(/\/login\/code$/);
  await page.getByLabel('確認コード').fill(totp(demo.secret));
  await page.getByRole('button', { name: '確認する' }).click();
  await page.waitForURL(/\/f\/\d+\/$/);
  const dashboard = page.url();
  assert.equal(await page.locator('#asset-count').textContent(), '12');
  await assert.doesNotReject(page.getByRole('heading', { name: /まもり内科クリニック/ }).waitFor());
  await shot(page, '02-dashboard-ja');
  // What to fix first, without a click: the FortiGate's ransomware hole, whom to call, a link.
  const todo = page.locator('#to-do > .to-do-list > li');
  assert.equal(await todo.count(), 3);
  assert.match(await todo.first().textContent(), /FortiGate.*今日のうちに修正版へ更新.*ランサムウェア.*CVE-2024-21762.*株式会社さくらメディカルシステム.*24時間 0120-000-110/s);
  assert.match(await todo.nth(1).textContent(), /電子カルテ業者のリモート保守\(SSL-VPN\).*共有のパスワード/s);
  assert.match(await page.locator('#to-do-rest summary').textContent(), /ほかに \d+ 件あります/);
  assert.match(await page.locator('#remote-unregistered').textContent(), /3 台は入り方が登録されていません/);
  await noEnglishSentence(page);
  // The check sees English when it is there (and not where it is marked as English).
  await page.evaluate(() => {
    const p = document.createElement('p');
    p.id = 'probe';
    p.textContent = 'Apply updates per vendor instructions';
    document.body.append(p);
  });
  await assert.rejects(noEnglishSentence(page), /English on/);
  await page.evaluate(() => document.getElementById('probe').setAttribute('lang', 'en'));
  await noEnglishSentence(page);
  await page.setViewportSize({ width: 768, height: 1024 });
  await shot(page, '02b-dashboard-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });
  await todo.first().getByRole('link').click();
  await page.waitForURL(/\/vulnerabilities\/\d+$/);
  assert.match(await page.locator('#finding-kev-action').textContent(), /メーカーの指示どおりに対策/);
  assert.match(await page.locator('#finding-maintainer').textContent(), /0120-000-110/);
  assert.match(await page.locator('.facts').textContent(), /米国の政府機関に向けた期限で、この施設の期限ではありません/);
  await noEnglishSentence(page);
  await shot(page, '02c-first-to-do');
  await page.goto(dashboard);

  const menu = page.getByRole('navigation', { name: '施設のメニュー' });
  await menu.getByRole('link', { name: '台帳(機器の一覧)' }).click();
  await page.waitForURL(/\/ledger$/);
  assert.equal(await page.locator('#ledger tbody tr').count(), 12);
  await shot(page, '03-ledger');

  await menu.getByRole('link', { name: '監査ログ' }).click();
  assert.match(await page.locator('#chain-status').textContent(), /改ざんは見つかりませんでした/);
  await shot(page, '04-audit');

  await menu.getByRole('link', { name: '院外から入れる入口' }).click();
  assert.match(await page.locator('#gap-summary').textContent(), /入口 2 件のうち 1 件に弱点があります/);
  await shot(page, '04b-connections');
  await page.getByRole('link', { name: '電子カルテ業者のリモート保守(SSL-VPN)' }).click();
  assert.match(await page.locator('#gaps').textContent(), /共有パスワード/);
  assert.match(await page.locator('#gaps').textContent(), /一人ずつ別の ID/);
  await noEnglishSentence(page);
  await shot(page, '04c-connection-detail');
  await page.goto(dashboard.replace(/\/$/, '/segments'));
  assert.match(await page.locator('#flows').textContent(), /保守用 → 診療系/);
  await shot(page, '04d-segments');
  await page.goto(dashboard.replace(/\/$/, '/review'));
  await shot(page, '04e-changes');

  // アカウントと権限: the demo's roster and inventories hold the Okayama shapes.
  await menu.getByRole('link', { name: 'アカウント' }).click();
  await page.waitForURL(/\/accounts$/);
  assert.match(await page.locator('#accounts-summary').textContent(), /3 のシステムのアカウント 14 件を職員名簿\(6 人\)と照らし合わせました。すぐ直すべき問題 5 件/);
  const problems = await page.locator('#account-problems').textContent();
  assert.match(problems, /「受付PC」の「suzuki」は、.*に退職した鈴木 一郎さんのアカウントですが、まだ使える状態です/s);
  assert.match(problems, /「sakura-hoshu」が Domain Admins に入っています/);
  assert.match(problems, /「hoshu」は初期パスワードのままです/);
  assert.match(problems, /「uketsuke」は複数の人が使う共用 ID です/);
  assert.match(await page.locator('#system-2').textContent(), /4 件中 4 件\(100%.*管理者が多すぎます/s);
  await noEnglishSentence(page);
  await shot(page, '04f-accounts');
  await page.setViewportSize({ width: 768, height: 1024 });
  await shot(page, '04g-accounts-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });
  // A PC's accounts as cmd writes them (Shift_JIS), uploaded: shown first, kept on confirm.
  const fixtures = join(here, '..', 'testdata', 'accounts');
  await page.locator('#account-system').selectOption({ label: '受付PC' });
  await page.locator('#account-files').setInputFiles([join(fixtures, 'net_user_ja.txt'), join(fixtures, 'localgroup_admins_ja.txt')]);
  await page.locator('#upload-accounts').getByRole('button', { name: '読み取って確認する' }).click();
  await page.waitForSelector('#upload-preview');
  assert.match(await page.locator('#upload-preview').textContent(), /確認のみ: 「受付PC」のアカウント \d+ 件を読み取りました/);
  await shot(page, '04h-accounts-preview');
  await page.getByRole('button', { name: 'この内容で取り込む' }).click();
  await page.waitForURL(/done=accounts-imported/);
  assert.match(await page.locator('#done').textContent(), /アカウント一覧を取り込みました/);
  assert.match(await page.locator('#account-problems').textContent(), /「受付PC」の「nurse」は複数の人が使う共用 ID です/);
  await noEnglishSentence(page);

  // The demo comes with real feed files; another import (the same files) changes nothing.
  const vuln = join(here, '..', 'testdata', 'vuln');
  const reimport = cli(work, ['feeds', 'import', join(vuln, 'nvd', 'CVE-2024-21762.json')]);
  assert.match(reimport, /変更なし 1 件/);
  await page.goto(dashboard);
  await menu.getByRole('link', { name: '脆弱性' }).click();
  await page.waitForURL(/\/vulnerabilities$/);
  assert.match(await page.locator('#vuln-status').textContent(), /対応が必要な機器が 2 台/);
  const first = page.locator('#vulns tbody tr').first();
  assert.match(await first.textContent(), /FortiGate.*外部からの入口.*CVE-2024-21762.*未対応.*ランサムウェアで悪用.*乗っ取り/s);
  assert.match(await page.locator('#vuln-unchecked').textContent(), /受付PC.*ビルド番号/s);
  assert.match(await page.locator('#vuln-coverage').textContent(), /台帳の 12 台のうち \d+ 台を脆弱性情報と照合しました/);
  assert.match(await page.locator('#unlisted-tools').textContent(), /受付PC.*TeamViewer/);
  assert.match(await page.locator('#past-support').textContent(), /診察室2 PC.*Windows 10.*2025年10月14日/);
  await noEnglishSentence(page);
  await shot(page, '04f-vulnerabilities');
  await page.setViewportSize({ width: 768, height: 1024 });
  await shot(page, '04f-vulnerabilities-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });
  await first.getByRole('link', { name: 'CVE-2024-21762' }).click();
  await page.waitForURL(/\/vulnerabilities\/\d+$/);
  assert.match(await page.locator('#finding-status').textContent(), /未対応/);
  assert.match(await page.locator('#finding-history').textContent(), /見つかりました/);
  // The director may accept the risk; an empty reason is refused by name.
  await page.locator('#accept-until').fill('2020-01-01');
  await page.locator('#accept-reason').fill(' ');
  await page.getByRole('button', { name: '受け入れる' }).click();
  assert.match(await page.locator('#finding-errors').textContent(), /『理由』.*『見直す期限』/s);
  await shot(page, '04h-finding');
  await page.getByRole('link', { name: 'FortiGate' }).first().click();
  await page.waitForURL(/\/assets\/\d+$/);
  assert.match(await page.locator('#asset-vulns').textContent(), /CVE-2024-21762.*未対応/s);
  await shot(page, '04g-asset-vulnerabilities');
  await page.goto(dashboard.replace(/\/$/, '/review?since=2024-01-01'));
  assert.match(await page.locator('#kev-hits').textContent(), /FortiGate.*CVE-2024-21762/s);
  assert.match(await page.locator('#opened').textContent(), /CVE-2024-21762/);
  await shot(page, '04i-review');
  // Printed for the inspection: no menu, no form, the made-by line stays.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.areas').isVisible(), false);
  assert.equal(await page.locator('form:has(#since)').isVisible(), false);
  assert.equal(await page.locator('#review-printed').isVisible(), true);
  await shot(page, '04i-review-print');
  await page.emulateMedia({ media: 'screen' });
  // Signed off and kept: numbered, unchangeable, printed again as it was.
  assert.match(await page.locator('#keep h2').textContent(), /第1回として記録する/);
  await page.locator('#keep-reviewer').fill('');
  await page.getByRole('button', { name: '第1回の点検として記録する' }).click();
  assert.equal(await page.locator('#keep-reviewer:invalid').count(), 1, 'the browser asks for the reviewer first');
  await page.locator('#keep-reviewer').fill('院長 山田太郎');
  await page.locator('#keep-note').fill('FortiGate の更新を保守業者に依頼した(12月10日予定)');
  await page.getByRole('button', { name: '第1回の点検として記録する' }).click();
  await page.waitForURL(/\/reviews\/1\?done=review-kept$/);
  assert.match(await page.locator('#done').textContent(), /点検を記録しました/);
  assert.match(await page.locator('h1').textContent(), /第1回 月次点検/);
  assert.match(await page.locator('#kept-reviewer').textContent(), /院長 山田太郎/);
  assert.match(await page.locator('#kev-hits').textContent(), /FortiGate.*CVE-2024-21762/s);
  await noEnglishSentence(page);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.areas').isVisible(), false);
  assert.match(await page.locator('#review-signoff').textContent(), /院長 山田太郎.*確認印.*保守業者に依頼した/s);
  await shot(page, '04k-review-kept-print');
  await page.emulateMedia({ media: 'screen' });
  await page.getByRole('link', { name: 'これまでの点検の記録' }).click();
  assert.match(await page.locator('#kept tbody tr').first().textContent(), /第1回.*院長 山田太郎/s);
  await shot(page, '04l-reviews-kept');
  await page.goto(dashboard.replace(/\/$/, '/review'));
  assert.match(await page.locator('#kept-link').textContent(), /\(1\)/);
  // The MHLW checklist, answered from the records: the shared password of the SSL-VPN is a
  // No of 2-⑧ with the way in linked; printed with columns to write the answers in.
  await menu.getByRole('link', { name: 'チェックリスト' }).click();
  await page.waitForURL(/\/checklist$/);
  assert.match(await page.locator('#item-password-reuse').textContent(), /いいえ.*電子カルテ業者のリモート保守\(SSL-VPN\).*共有のパスワード/s);
  assert.match(await page.locator('#item-patches').textContent(), /いいえ.*FortiGate.*CVE-2024-21762/s);
  assert.match(await page.locator('#item-security-officer').textContent(), /いいえ.*安全管理責任者が Mamori に記録されていません/s);
  assert.match(await page.locator('#checklist-wording-note').textContent(), /文言未確認/);
  await noEnglishSentence(page);
  await shot(page, '09-checklist');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav.areas').isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  // The director answers 2-⑧ (Mamori's view, いいえ, is chosen already): a No needs a target
  // day in the fiscal year, said beside the form; then it is recorded, and the round signed off.
  const reuse = page.locator('#item-password-reuse');
  await reuse.getByText('回答する').click();
  assert.equal(await reuse.locator('select[name=answer]').inputValue(), 'no');
  await reuse.getByRole('button', { name: '回答を記録する' }).click();
  assert.match(await page.locator('#item-password-reuse-problems').textContent(), /目標日/);
  await page.locator('#item-password-reuse-target').fill('令和9年3月31日');
  await page.locator('#item-password-reuse-comment').fill('保守業者に個人ごとの ID を依頼済み');
  await page.locator('#item-password-reuse').getByRole('button', { name: '回答を記録する' }).click();
  await page.waitForURL(/done=saved/);
  assert.match(await page.locator('#item-password-reuse .given').textContent(), /いいえ.*2027年3月31日/s);
  // The MDS/SDS of the EHR vendor kept as evidence for 2-③, valid for a year.
  const mds = page.locator('#item-mds-sds');
  await mds.getByText('根拠資料を追加する').click();
  await mds.locator('input[name=title]').fill('電子カルテの MDS/SDS');
  await mds.locator('select[name=vendor]').selectOption('株式会社さくらメディカルシステム');
  await mds.locator('input[name=valid_from]').fill('2026/4/1');
  await mds.locator('input[name=valid_until]').fill('2027/3/31');
  await mds.locator('input[type=file]').setInputFiles({ name: 'MDS_SDS.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% sample\n') });
  await mds.getByRole('button', { name: '根拠資料として保存する' }).click();
  await page.waitForURL(/done=saved/);
  assert.match(await page.locator('#item-mds-sds .documents').textContent(), /電子カルテの MDS\/SDS.*2027年3月31日/s);
  assert.match(await page.locator('#vendor-sheet-list').textContent(), /まだ返ってきていません/);
  await page.getByRole('button', { name: 'この回を確定する' }).click();
  await page.waitForURL(/done=checklist-locked/);
  assert.match(await page.locator('#checklist-locked').textContent(), /確定しました/);
  await shot(page, '09c-checklist-answered');
  await page.emulateMedia({ media: 'print' });
  await shot(page, '09b-checklist-print');
  await page.emulateMedia({ media: 'screen' });
  // The printed sheet and its annex, each page as PNG in the artefacts to look at.
  const printed = new URL(page.url());
  printed.pathname = printed.pathname.replace(/checklist$/, 'checklist/print');
  assert.ok((await pdfPages(page, printed.toString(), '09d-checklist-pdf')) >= 2, 'the sheet and its annex');
  await page.goto(dashboard);
  // The FortiGate, and the EHR server that NVD names without the build that fixed it.
  assert.equal(await page.locator('#vuln-devices').textContent(), '2');
  // The vendor updated the FortiGate: correcting the version in the ledger closes the finding.
  await menu.getByRole('link', { name: '脆弱性' }).click();
  await page.locator('#vulns tbody tr').first().getByRole('link').first().click();
  await page.waitForURL(/\/assets\/\d+$/);
  await page.getByRole('link', { name: '機器の情報を直す' }).click();
  await page.locator('#version').fill('v7.0.14,build0601 (GA)');
  await page.getByRole('button', { name: '保存する' }).click();
  await page.waitForURL(/\/assets\/\d+\?done=saved$/);
  assert.match(await page.locator('#done').textContent(), /保存しました/);
  // The save answers at once; the findings follow in the background ("判定中" meanwhile).
  await untilEvaluated(page);
  await menu.getByRole('link', { name: '脆弱性' }).click();
  assert.match(await page.locator('#vulns-fixed').textContent(), /FortiGate.*CVE-2024-21762/s);
  await shot(page, '04j-fixed');
  await page.goto(dashboard);
  assert.equal(await page.locator('#vuln-devices').textContent(), '1');
  await menu.getByRole('link', { name: '監査ログ' }).click();
  await page.getByRole('link', { name: 'English' }).click();
  await page.waitForURL(/\/audit$/);
  assert.match(await page.locator('#chain-status').textContent(), /No tampering found/);
  await page.goto(dashboard);
  await shot(page, '05-dashboard-en');
  await page.goto(dashboard.replace(/\/$/, '/vulnerabilities'));
  assert.match(await page.locator('#vulns-fixed').textContent(), /CVE-2024-21762/);
  await page.locator('#vulns-fixed').getByRole('link', { name: 'CVE-2024-21762' }).click();
  assert.match(await page.locator('#finding-status').textContent(), /Fixed/);
  assert.match(await page.locator('#finding-history').textContent(), /Fix confirmed/);
  await shot(page, '05b-finding-en');
  await page.goto(dashboard.replace(/\/$/, '/review?since=2024-01-01'));
  assert.match(await page.locator('#closed').textContent(), /CVE-2024-21762/);
  await shot(page, '05c-review-en');
  await page.getByRole('link', { name: '日本語' }).click();

  // Retiring a device asks first, says what happened, and can be undone.
  await page.goto(dashboard.replace(/\/$/, '/ledger'));
  await page.locator('#ledger').getByRole('link', { name: 'バックアップ用NAS' }).click();
  await page.waitForURL(/\/assets\/\d+$/);
  await page.getByRole('link', { name: '撤去した(台帳から外す)' }).click();
  await page.waitForURL(/\/retire$/);
  assert.match(await page.locator('#retire-confirm').textContent(), /バックアップ用NAS.*元に戻す/s);
  await shot(page, '07-retire-confirm');
  await page.getByRole('button', { name: '台帳から外す' }).click();
  await page.waitForURL(/\/ledger\?retired=\d+$/);
  assert.match(await page.locator('#retired').textContent(), /「バックアップ用NAS」を台帳から外しました/);
  assert.equal(await page.locator('#ledger tbody tr').count(), 11);
  await shot(page, '07b-retired-undo');
  await page.getByRole('button', { name: '元に戻す' }).click();
  await page.waitForURL(/\/assets\/\d+\?done=restored$/);
  assert.match(await page.locator('#done').textContent(), /台帳に戻しました/);
  await page.goto(dashboard.replace(/\/$/, '/ledger'));
  assert.equal(await page.locator('#ledger tbody tr').count(), 12);

  // A tablet (768 px): every list page keeps each column at least four characters wide
  // (wide tables become cards), and nothing runs off the side.
  await page.setViewportSize({ width: 768, height: 1024 });
  for (const [path, name] of [
    ['', '08a-tablet-overview'], ['ledger', '08b-tablet-ledger'], ['connections', '08c-tablet-connections'],
    ['vulnerabilities', '08d-tablet-vulnerabilities'], ['review', '08e-tablet-review'], ['reviews', '08f-tablet-reviews'],
    ['audit', '08g-tablet-audit'], ['segments', '08h-tablet-segments'], ['members', '08i-tablet-members'],
    ['checklist', '08j-tablet-checklist'],
  ]) {
    await page.goto(dashboard + path);
    const narrow = await page.evaluate(() => {
      const out = [];
      for (const cell of document.querySelectorAll('main th, main td')) {
        const r = cell.getBoundingClientRect();
        // Hidden cells, and card headings kept off screen for screen readers, are not columns.
        if (r.width === 0 || r.height === 0 || r.right <= 0 || !cell.textContent.trim()) continue;
        const em = parseFloat(getComputedStyle(cell).fontSize);
        if (r.width < 4 * em) out.push(`${cell.closest('table')?.id || 'table'}: ${cell.textContent.trim().slice(0, 20)} (${Math.round(r.width)} px)`);
      }
      if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push(`page ${document.documentElement.scrollWidth} px wide`);
      return out;
    });
    assert.deepEqual(narrow, [], `columns narrower than 4 characters at 768 px on /${path}`);
    await shot(page, name);
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Another facility's page, by editing the id in the address bar.
  const other = dashboard.replace(/\/f\/(\d+)\//, (_, id) => `/f/${Number(id) + 1}/`);
  const res = await page.goto(other);
  assert.equal(res.status(), 404);
  assert.match(await page.locator('h1').textContent(), /ページが見つかりません/);
  assert.doesNotMatch(await page.content(), /もみじ/);
  await shot(page, '06-other-facility-refused');

  await page.goto(dashboard);
  await page.getByRole('button', { name: 'サインアウト' }).click();
  await page.waitForURL(/\/login\?signed_out=1$/);
  assert.match(await page.locator('.notice').textContent(), /サインアウトしました/);
  const again = await page.goto(dashboard);
  assert.match(page.url(), /\/login$/, 'signed out for real');
  assert.equal(again.status(), 200);
});

test('a new director sets up the second factor and keeps the recovery codes', async () => {
  const page = await newPage();
  await page.goto(`${demo.url}login`);
  await page.getByLabel('メールアドレス').fill('inchou@momiji.example');
  await page.getByLabel('パスワード').fill('Ganka-Shinryo-2026!');
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(/\/account\/second-factor$/);
  assert.equal(await page.locator('.qr svg').count(), 1);
  await shot(page, '07-enrol');
  const secret = (await page.locator('#secret').textContent()).replace(/ /g, '');
  await page.getByLabel('確認コード').fill('000000');
  await page.getByRole('button', { name: '設定する' }).click();
  assert.match(await page.locator('.problem').textContent(), /確認コードが違います/);
  const fresh = (await page.locator('#secret').textContent()).replace(/ /g, '');
  assert.equal(fresh, secret, 'the same secret after a wrong code');
  await page.getByLabel('確認コード').fill(totp(secret));
  await page.getByRole('button', { name: '設定する' }).click();
  assert.equal(await page.locator('#recovery-codes li').count(), 10);
  await shot(page, '08-recovery-codes');
  await page.getByRole('link', { name: '控えたので次へ進む' }).click();
  await page.waitForURL(/\/f\/\d+\/$/);
  await assert.doesNotReject(page.getByRole('heading', { name: 'もみじ眼科クリニック' }).waitFor());
  await shot(page, '09-momiji-dashboard');
});

test('a wrong password says so in plain Japanese and at a tablet width', async () => {
  const page = await newPage();
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(`${demo.url}login`);
  await page.getByLabel('メールアドレス').fill(demo.email);
  await page.getByLabel('パスワード').fill('wrong-password');
  await page.keyboard.press('Enter');
  assert.match(await page.locator('.problem').textContent(), /メールアドレスかパスワードが違います/);
  await shot(page, '10-wrong-password-tablet');
});

test('the director imports a ledger file from Excel: check, then confirm', async () => {
  const page = await newPage();
  await page.goto(`${demo.url}login`);
  await page.getByLabel('メールアドレス').fill(demo.email);
  await page.getByLabel('パスワード').fill(demo.password);
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.waitForURL(/\/login\/code$/);
  // A fresh code: the first test may have used this 30-second step already.
  await page.getByLabel('確認コード').fill(totp(demo.secret, Date.now() + 30000));
  await page.getByRole('button', { name: '確認する' }).click();
  await page.waitForURL(/\/f\/\d+\/$/);
  const menu = page.getByRole('navigation', { name: '施設のメニュー' });
  await menu.getByRole('link', { name: '台帳(機器の一覧)' }).click();
  await page.getByRole('link', { name: 'Excel から取り込む' }).click();
  await page.getByLabel('台帳のファイル').setInputFiles({
    name: '台帳.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('機器名,種別,IPアドレス,導入日\n検査室PC,パソコン,192.168.10.34,令和5年4月1日\n受付PC,パソコン,192.168.10.31,2023/10/1\n'),
  });
  await page.getByRole('button', { name: '内容を確かめる' }).click();
  await page.locator('#import-preview').waitFor();
  assert.match(await page.locator('#import-preview').textContent(), /検査室PC/);
  await shot(page, '11-import-preview');
  await page.getByRole('button', { name: 'この内容で取り込む' }).click();
  assert.match(await page.locator('#import-result').textContent(), /台帳を取り込みました/);
  await page.getByRole('link', { name: '台帳を見る' }).click();
  assert.equal(await page.locator('#ledger tbody tr').count(), 13);
  await shot(page, '12-ledger-after-import');

  // A long file: the preview names the first 500 devices and counts the rest; not confirmed.
  await page.getByRole('link', { name: 'Excel から取り込む' }).click();
  const rows = Array.from({ length: 600 }, (_, i) => `端末${String(i).padStart(3, '0')},パソコン,10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  await page.getByLabel('台帳のファイル').setInputFiles({
    name: '大きな台帳.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`機器名,種別,IPアドレス\n${rows.join('\n')}\n`),
  });
  await page.getByRole('button', { name: '内容を確かめる' }).click();
  await page.locator('#import-preview').waitFor();
  const preview = await page.locator('#import-preview').textContent();
  assert.match(preview, /追加 600 台/);
  assert.match(preview, /ほか 100 台/);
  assert.match(preview, /端末499/);
  assert.doesNotMatch(preview, /端末500/);
  await shot(page, '13-import-preview-long');
  await page.getByRole('link', { name: '台帳(機器の一覧)' }).first().click();
  assert.equal(await page.locator('#ledger tbody tr').count(), 13, 'a preview writes nothing');

  // The director adds the EHR vendor's engineer: no password on screen, a one-time link.
  const menu2 = page.getByRole('navigation', { name: '施設のメニュー' });
  await menu2.getByRole('link', { name: 'Mamori の利用者' }).click();
  await page.locator('#add-email').fill('hoshu@sakura-medical.example');
  await page.locator('#add-name').fill('保守担当 佐藤');
  await page.locator('#add-role').selectOption('vendor');
  await page.locator('#add-vendor').fill('株式会社さくらメディカルシステム');
  await page.getByRole('button', { name: '追加してリンクを作る' }).click();
  const link = (await page.locator('#setup-link').textContent()).trim();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/setup\/\S+$/);
  assert.doesNotMatch(await page.content(), /パスワード[::]\s*\S{8,}/, 'no password shown');
  await shot(page, '14-member-added-link');

  // The engineer opens the link, sets a password, signs in, sets up the second factor and
  // sees only the devices the company maintains.
  const vendor = await newPage();
  await vendor.goto(link);
  assert.match(await vendor.locator('#setup-email').textContent(), /hoshu@sakura-medical\.example/);
  await vendor.getByLabel('新しいパスワード', { exact: true }).fill('Hoshu-Sakura-9!denki');
  await vendor.getByLabel('新しいパスワード(もう一度)').fill('Hoshu-Sakura-9!denki');
  await vendor.getByRole('button', { name: 'パスワードを決める' }).click();
  await vendor.waitForURL(/\/login\?setup=1$/);
  await vendor.getByLabel('メールアドレス').fill('hoshu@sakura-medical.example');
  await vendor.getByLabel('パスワード').fill('Hoshu-Sakura-9!denki');
  await vendor.getByRole('button', { name: 'サインイン' }).click();
  await vendor.waitForURL(/\/account\/second-factor$/);
  const secret = (await vendor.locator('#secret').textContent()).replace(/ /g, '');
  await vendor.getByLabel('確認コード').fill(totp(secret));
  await vendor.getByRole('button', { name: '設定する' }).click();
  await vendor.getByRole('link', { name: '控えたので次へ進む' }).click();
  await vendor.waitForURL(/\/f\/\d+\/$/);
  await vendor.goto(vendor.url() + 'ledger');
  const rowsSeen = await vendor.locator('#ledger tbody tr').count();
  assert.ok(rowsSeen > 0 && rowsSeen < 13, `the vendor's devices only (${rowsSeen})`);
  assert.doesNotMatch(await vendor.locator('#ledger').textContent(), /コニカミノルタ|GEヘルスケア/);
  await shot(vendor, '15-vendor-ledger');
  // The link worked once.
  const again = await vendor.goto(link);
  assert.equal(again.status(), 404);
});

/** Reloads, as a person would, while the page says the findings are being evaluated. */
async function untilEvaluated(page) {
  for (let i = 0; i < 100; i++) {
    if (await page.locator('#evaluating').count() === 0) return;
    await page.waitForTimeout(100);
    await page.reload();
  }
  throw new Error('the findings were still being evaluated after 10 s');
}
