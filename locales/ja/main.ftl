# Mamori の日本語メッセージ。英語版は ../en/main.ftl。ID は両方に同じものを置く(テストで確認)。

app-name = Mamori(守り)
app-tagline = 病院・診療所をランサムウェアから守るための台帳と点検

## 入力項目
field-short-name = 略称
field-facility-name = 正式名称
field-facility-kind = 種別
field-beds = 病床数
field-prefecture = 都道府県
field-region-name = 地域名
field-asset-name = 機器名
field-asset-kind = 機器の種別
field-ip-address = IPアドレス
field-remote-maintenance = リモート保守

## 入力の規則
rule-required = 入力してください
rule-too-long = { $max } 文字以内にしてください
rule-short-name-chars = 英小文字で始め、英小文字・数字・ハイフン(-)だけを使ってください(例: sakura-clinic)
rule-not-a-number = 数字で入力してください
rule-hospital-beds = 病院は病床数 20 床以上です。19 床以下なら種別を「診療所」にしてください
rule-clinic-beds = 診療所は病床数 19 床以下です。20 床以上なら種別を「病院」にしてください
rule-pharmacy-beds = 薬局に病床はありません。0 にするか空欄にしてください
rule-unknown-facility-kind = 病院(hospital)、診療所(clinic)、薬局(pharmacy)のいずれかを指定してください
rule-unknown-prefecture = 都道府県名(例: 東京都)か JIS コード 1〜47 を指定してください
rule-unknown-asset-kind = 決められた機器の種別のいずれかを指定してください
rule-not-an-ip-address = IPアドレスではありません(例: 192.168.1.10)
rule-unknown-remote-maintenance = 「あり」「なし」「不明」のいずれかを指定してください

# { $field } 項目名, { $value } 入力値, { $rule } 規則の説明
error-invalid = 『{ $field }』: 「{ $value }」は使えません。{ $rule }
error-invalid-secret = 『{ $field }』: { $rule }

## 施設の種別
facility-kind-hospital = 病院
facility-kind-clinic = 診療所
facility-kind-pharmacy = 薬局

## データベースと設定のエラー
error-url-unknown-scheme = データベースURL「{ $url }」を解釈できません。sqlite://ファイル名 か postgres://ユーザー@ホスト/データベース名 の形で指定してください
error-url-empty-path = データベースURL「{ $url }」にファイル名がありません。sqlite://mamori.db のように指定してください
error-no-such-file = データベースファイル { $path } がありません。ファイル名を確かめるか、先に mamori migrate で作成してください
error-connect-sqlite = SQLite データベース { $url } を開けません({ $detail })。フォルダがあり、書き込めるか確かめてください
error-connect-postgres = PostgreSQL { $url } に接続できません({ $detail })。サーバーが起動しているか、ホスト名・ポート・ユーザー名・パスワードを確かめてください
error-newer-schema = このデータベースは新しい版の Mamori で作られています(スキーマ { $found }、この版は { $known } まで)。新しい版の mamori を使ってください。データは変更していません
error-migration-edited = 適用済みのマイグレーション { $version } の内容が変わっています。配布された mamori をそのまま使ってください。データは変更していません
error-not-migrated = データベースの更新(マイグレーション { $pending })が済んでいません。mamori migrate を実行してください
error-wrong-audit-key = 監査鍵(指紋 { $given })がこのデータベースの鍵(指紋 { $expected })と違います。このデータベースを作ったときの鍵ファイルを指定してください
error-not-found-facility = 施設「{ $key }」は登録されていません。mamori facility list で確かめてください
error-not-found-region = 地域「{ $key }」は登録されていません
error-not-found = { $what }「{ $key }」が見つかりません
error-conflict-facility = 略称「{ $key }」の施設はすでにあります。別の略称にしてください
error-conflict-region = 地域「{ $key }」はすでにあります
error-conflict = { $what }「{ $key }」はすでにあります
error-corrupt = データベースの { $table }.{ $column }(行 { $id })の値「{ $value }」を読めません。手で書き換えられた可能性があります。バックアップから戻すか、管理者に連絡してください
error-unaudited = 監査記録のない書き込みを止めました(プログラムの不具合です)。開発元に連絡してください
error-database = データベースの操作に失敗しました: { $detail }

## 設定
error-config-read = 設定ファイル { $path } を読めません: { $detail }
error-config-parse = 設定ファイル { $path } に誤りがあります: { $detail }
error-config-version = 設定ファイル { $path } の version = { $found } には対応していません。version = 1 にしてください
error-config-env = 環境変数 { $name } の値「{ $value }」を使えません: { $detail }
error-bind = 待ち受けアドレス { $bind } を使えません({ $detail })。別のポートを --bind で指定してください
error-key-read = 監査鍵ファイル { $path } を読めません: { $detail }
error-key-format = 監査鍵ファイル { $path } の中身が正しくありません(16進数64桁のはずです)。作成時の鍵ファイルを戻してください
error-key-missing = 監査鍵ファイル { $path } がありません。このデータベースには監査記録があるので、新しい鍵は作りません。作成時の鍵ファイルを戻すか、audit_key_file で場所を指定してください
error-key-write = 監査鍵ファイル { $path } を作れません: { $detail }

## コマンド
cli-about = Mamori(守り): 病院・診療所のランサムウェア対策。台帳、外部接続、脆弱性、チェックリスト、監査ログ。
cli-database-url = データベースの場所(sqlite://ファイル名 または postgres://…)。既定は sqlite://mamori.db
cli-config = 設定ファイル(TOML)。既定は ./mamori.toml があればそれ
cli-serve = Web画面を起動する
cli-bind = 待ち受けるアドレスとポート(例: 127.0.0.1:8080)
cli-demo = デモ用の診療所を入れて Web画面を起動する(専用のデータベースファイルを使う)
cli-migrate = データベースを最新の形に更新する
cli-migrate-check = 何も変えずに、実行されるはずの更新を表示する(更新があれば終了コード 1)
cli-facility = 施設(病院・診療所・薬局)を登録・一覧する
cli-facility-add = 施設を登録する
cli-facility-short = 略称(英小文字・数字・ハイフン。例: sakura-clinic)
cli-facility-name = 正式名称(例: 医療法人さくら会 さくら内科クリニック)
cli-facility-kind = 種別: hospital(病院)、clinic(診療所)、pharmacy(薬局)
cli-facility-beds = 病床数
cli-facility-prefecture = 都道府県(例: 東京都)
cli-facility-list = 施設を一覧する
cli-format = 出力の形式: table(表)または json(スクリプト用)
cli-audit = 監査ログを扱う
cli-audit-verify = 監査ログの改ざんを調べる(見つかれば終了コード 1)
cli-config-cmd = 設定ファイルを扱う
cli-config-example = 説明つきの設定ファイルの見本を表示する

## コマンドの結果
migrate-none = データベースは最新です(スキーマ { $version })
migrate-applied = マイグレーション { $version } { $name } を適用しました
migrate-would-apply = 適用されるマイグレーション: { $version } { $name }
migrate-check-new = データベースはまだありません。最初の起動ですべてのマイグレーションが適用されます
facility-added = 施設「{ $name }」(略称 { $short }、ID { $id })を登録しました
facility-none = 施設はまだ登録されていません。mamori facility add で登録してください
audit-ok = 監査ログ { $count } 件を確認しました。改ざんは見つかりませんでした(最新の記録 { $head })
audit-altered = 監査記録 { $seq } の内容が、記録したときと違います(書き換えられています)
audit-missing = 監査記録 { $expected }〜{ $last } が消えています(削除されています)
audit-unlinked = 監査記録 { $seq } が前の記録とつながっていません(前の記録が削除・差し替え・移動されています)
audit-reordered = 監査記録 { $seq } の順番が入れ替えられています
audit-tail-missing = 最新の監査記録 { $seq } 〜 { $head } が消えています(削除されています)
audit-checked-before = それより前の { $count } 件は正常です
demo-ready = デモの診療所を用意しました。ブラウザで { $url } を開いてください(止めるには Ctrl+C)
demo-reused = 前回のデモの診療所を使います。
serve-ready = Mamori を起動しました: { $url }(止めるには Ctrl+C)
key-created = 監査鍵ファイル { $path } を作りました。データベースとは別の場所にもバックアップしてください

## 列見出し
col-id = ID
col-short-name = 略称
col-name = 正式名称
col-kind = 種別
col-beds = 病床数
col-prefecture = 都道府県
col-assets = 台帳の機器数

## 画面
page-footer = Mamori { $version } — 外部に接続せずに動きます
page-not-found = ページが見つかりません
page-error = エラーが起きました。操作ID { $id } を添えて管理者に連絡してください
lang-switch = English
beds-none = —

## 入力項目(アカウント)
field-email = メールアドレス
field-password = パスワード
field-role = 役割
field-code = 確認コード
rule-not-an-email = メールアドレスではありません(例: inchou@clinic.example)
rule-weak-password = 英字・数字・記号をまぜて8文字以上にするか、13文字以上にしてください(厚生労働省チェックリストの基準)
rule-common-password = よく使われていて推測されやすいパスワードです。別のものにしてください
rule-password-has-facility-name = 施設の名前を含むパスワードは推測されやすいので使えません
rule-unknown-role = director(院長・管理者)、it_staff(担当者)、advisor(地域アドバイザー)、vendor(事業者)、viewer(閲覧者)のいずれかを指定してください

## 役割
role-director = 院長・管理者
role-it_staff = 担当者
role-advisor = 地域アドバイザー
role-vendor = 事業者
role-viewer = 閲覧者

## 機器の種別
asset-kind-server = サーバ
asset-kind-pc = パソコン
asset-kind-router = ルータ
asset-kind-utm = UTM
asset-kind-firewall = ファイアウォール
asset-kind-vpn-appliance = VPN装置
asset-kind-switch = スイッチ
asset-kind-wifi-ap = 無線LANアクセスポイント
asset-kind-modality = 医療機器(撮影・検査)
asset-kind-pacs = PACS
asset-kind-lab-analyser = 検体検査装置
asset-kind-medical-other = その他の医療機器
asset-kind-storage = NAS・ストレージ
asset-kind-cloud = クラウドサービス
asset-kind-other = その他
remote-yes = あり
remote-no = なし
remote-unknown = 不明

## 画面の枠
skip-to-content = 本文へ移動
switch-facility = 施設を切り替える
sign-out = サインアウト
nav-label = 施設のメニュー
back-to-start = 最初の画面へ
yes = はい
no = いいえ
save = 保存する
nav-dashboard = 概要
nav-ledger = 台帳(機器の一覧)
nav-connections = 院外から入れる入口
nav-vulnerabilities = 脆弱性
nav-checklist = チェックリスト
nav-accounts = アカウント
nav-logs = ログ
nav-backup = バックアップ・BCP
nav-audit = 監査ログ
nav-members = Mamori の利用者

## サインイン
login-title = サインイン
login-submit = サインイン
login-hint = アカウントは施設の院長・管理者か、サーバーで mamori user add を実行して作ります。
login-failed = メールアドレスかパスワードが違います。
login-locked = 続けて失敗したため、しばらくサインインできません。15分ほど待ってからやり直してください。
login-too-long = 入力が長すぎます。メールアドレスは254文字、パスワードは256文字までです。
login-expired = しばらく操作がなかったため、サインインが切れました。もう一度サインインしてください。
login-signed-out = サインアウトしました。
login-code-title = 確認コードの入力
login-code-lead = スマートフォンの認証アプリに表示されている6桁の数字を入力してください。
login-code-submit = 確認する
login-code-wrong = 確認コードが違うか、すでに使われたコードです。アプリに表示されている新しいコードを入力してください。
login-code-format = 確認コードは6桁の数字です(予備コードは「xxxxx-xxxxx」の形です)。
login-code-recovery = スマートフォンをなくしたときは、設定のときに控えた予備コード(xxxxx-xxxxx)を入力できます。

## 二段階認証の設定
enrol-title = 二段階認証の設定
enrol-lead = この施設では、パスワードに加えてスマートフォンの確認コードでサインインします。パスワードが漏れても、他人はサインインできません。
enrol-step-app = スマートフォンに認証アプリ(Google Authenticator、Microsoft Authenticator など)を入れます。
enrol-step-scan = アプリでこの QR コードを読み取ります。
enrol-manual = 読み取れないときは、このキーを手で入力してください:
enrol-step-code = アプリに表示された6桁の数字を入力します。
enrol-submit = 設定する
enrol-code-wrong = 確認コードが違います。アプリに表示されている最新の6桁を入力してください。
enrol-done = 二段階認証を設定しました。
recovery-title = 予備コード
recovery-lead = スマートフォンをなくしたときに使う予備コードです。一度だけ表示します。印刷するか書き写して、金庫など安全な場所に保管してください。各コードは一回だけ使えます。
recovery-continue = 控えたので次へ進む

## 最初の画面
home-title = 施設を選ぶ
home-none = まだどの施設にも登録されていません。施設の院長・管理者に登録を依頼してください。

## 概要
dash-assets = 台帳に登録されている機器の数
dash-assets-vendor = 台帳のうち、あなたの会社が保守する機器の数
dash-remote-title = 院外から保守できる機器
dash-remote = 台帳で「リモート保守: あり」の機器。侵入の入口になりやすいので、接続の方法を確かめてください。
dash-members = この施設の Mamori 利用者
dash-audit = この施設の監査記録の件数
dash-audit-latest = 最新:
dash-later-title = これからできる画面
dash-later = 次の画面は順に作っています。まだ数字は出しません。

## 台帳
ledger-lead = この施設の機器の一覧です。
ledger-lead-vendor = この施設の機器のうち、あなたの会社が保守するものです。
ledger-empty = 台帳にはまだ機器がありません。
col-roles = 用途
col-location = 設置場所
col-product = メーカー・機種
col-version = OS・ファームウェア
col-vendor = 保守業者

## まだない画面
area-not-yet = この画面はまだできていません。
area-vulnerabilities-purpose = 台帳の機器を、悪用が確認された脆弱性の一覧(KEV・NVD・JVN)とオフラインで照合し、急いで対処すべき機器を示します。
area-checklist-purpose = 厚生労働省「医療機関におけるサイバーセキュリティ対策チェックリスト」を台帳などのデータから評価し、立入検査用に印刷できるようにします。
area-accounts-purpose = 電子カルテや機器のアカウントと権限を一覧にし、共有アカウントや管理者権限の付けすぎを見つけます。
area-logs-purpose = VPN やサーバーのログを取り込み、総当たり攻撃、保守時間外のサインイン、RDP による横への広がりを検知します。
area-backup-purpose = バックアップがオフラインまたは書き換え不能な場所にあるか、復元の訓練をしたかを記録し、BCP とランサムウェア被害時の初動手順を用意します。

## 監査ログ
audit-page-lead = この施設での変更とサインインの記録です。記録は鎖のようにつながっていて、消したり書き換えたりすると上の表示でわかります。
col-seq = 番号
col-when = 日時
col-who = 操作した人
col-what = 操作
col-object = 対象
action-deployment-init = 導入の開始
action-facility-create = 施設の登録
action-facility-join_region = 地域への参加
action-facility-totp_policy = 二段階認証の方針の変更
action-region-create = 地域の登録
action-asset-create = 機器の登録
action-user-create = 利用者の作成
action-membership-set = 役割の設定
action-membership-remove = 利用者の削除
action-advisor-grant = アドバイザーへの閲覧の同意
action-advisor-revoke = アドバイザーへの同意の取り消し
action-signin-success = サインイン
action-signin-failure = サインインの失敗
action-signin-lockout = アカウントのロック
action-signin-recovery_code = 予備コードでのサインイン
action-signout = サインアウト
action-totp-start = 二段階認証の設定開始
action-totp-enrol = 二段階認証の設定

## 利用者
members-locked = ロック中
members-remove = 外す
members-revoke = 同意を取り消す
members-grant-title = 地域アドバイザーに閲覧を認める
members-grant-lead = 中核病院などのアドバイザーが、この施設の情報を見て助言できるようにします(施設の同意)。いつでも取り消せます。認めたことも取り消したことも監査ログに残ります。
members-grant-submit = 閲覧を認める
members-email-invalid = メールアドレスの形が正しくありません。
members-no-such-user = そのメールアドレスの利用者はいません。先にアドバイザー本人の所属先で利用者を作ってもらってください。
members-already = その利用者はすでにこの施設に登録されています。
members-not-self = 自分自身は外せません。
members-policy-title = 二段階認証
members-policy-all = この施設の全員に二段階認証を求める
members-policy-hint = 院長・管理者、地域アドバイザー、事業者にはいつも求めます。チェックすると担当者と閲覧者にも求めます。
col-second-factor = 二段階認証

## 画面のエラー
error-cross-site = 別のサイトから送られたフォームは受け付けません。Mamori の画面から操作してください。
error-form-token = フォームの有効期限が切れたか、正しくありません。ページを開き直してからもう一度操作してください。
error-too-large = 送られたデータが大きすぎます。
error-forbidden = この操作をする権限がありません。必要なら施設の院長・管理者に依頼してください。

## 利用者のコマンド
cli-user = Mamori の利用者を作成・一覧する
cli-user-add = 利用者を作成し、施設での役割を与える(パスワードは標準入力から。なければ作って一度だけ表示)
cli-user-facility = 施設(ID または略称)
cli-user-role = 役割: director, it_staff, advisor, vendor, viewer
cli-user-email = メールアドレス(サインインに使う)
cli-user-name = 表示名
cli-user-vendor = 事業者の場合、保守する機器の台帳上の保守業者名
cli-user-list = 利用者を一覧する
user-added = 利用者 { $email } を作成し、{ $facility } の{ $role }にしました
user-membership-added = 既存の利用者 { $email } を { $facility } の{ $role }にしました
user-password-generated = 初期パスワード(この一度だけ表示します): { $password }
user-none = 利用者はまだいません。mamori user add で作成してください
col-email = メールアドレス
col-facilities = 施設と役割
demo-signin = デモの院長でサインイン: メールアドレス { $email } / パスワード { $password }
demo-totp = 二段階認証の鍵(デモ用に表示しています。認証アプリに登録してください): { $secret }
cli-tls-cert = TLS の証明書ファイル(PEM)。指定すると HTTPS で待ち受ける
cli-tls-key = TLS の秘密鍵ファイル(PEM)
error-tls-read = TLS のファイル { $path } を読めません: { $detail }
error-tls-config = TLS の設定が正しくありません: { $detail }
error-tls-pair = TLS には証明書と秘密鍵の両方を指定してください(tls_cert_file と tls_key_file)
error-vendor-name = 事業者(vendor)には、保守する機器の台帳上の保守業者名を --vendor で指定してください
error-password-stdin = 標準入力からパスワードを読めません: { $detail }

## 台帳の項目と規則
field-mac-address = MACアドレス
field-date = 日付
rule-not-a-mac-address = MACアドレスではありません(例: 00:1A:2B:3C:4D:5E)
rule-not-a-date = 日付として読めません(例: 2024/4/1、令和6年4月1日)
rule-no-such-day = その日はありません
rule-outside-era = その元号にその日はありません(令和は2019年5月1日から)

## 台帳の取り込みと書き出し
ledger-problem = 「{ $sheet }」{ $line }行目『{ $column }』: { $detail }
ledger-problem-row = 「{ $sheet }」{ $line }行目: { $detail }
ledger-no-sheet = 「{ $sheet }」: 機器名の列がある見出しの行が見つかりません。見出しに「機器名」「種別」「IPアドレス」などを書いてください
ledger-no-kind = 機器の種別がありません。「種別」の列を作るか、シート名を「サーバ」「パソコン」などにしてください
ledger-duplicate-serial = シリアル番号「{ $serial }」が { $first } 行目と同じです。どちらかを直してください
ledger-same-device = { $first } 行目と同じ機器です(シリアル番号、または機器名とIPアドレスが同じ)
error-ledger-conflicts = 台帳ファイルに、同じ機器を指す行が { $count } 件あります
error-file-too-large = ファイルが大きすぎます({ $limit } MB まで)。台帳をいくつかのファイルに分けて取り込んでください
error-file-empty = { $file } は空です
error-not-a-spreadsheet = { $file } は表計算のファイル(xlsx・xls・ods)でも CSV でもありません
error-file-encoding = { $file } の文字コードを読めません。Excel で「CSV UTF-8(コンマ区切り)」か「CSV(コンマ区切り)」で保存し直してください
error-file-csv = { $file } の { $line } 行目を CSV として読めません(引用符 " が閉じていないなど)
error-file-workbook = { $file } を開けません: { $detail }(パスワード付きや壊れたファイルは読めません)
error-file-read = { $file } を読めません: { $detail }
error-file-write = { $file } に書き込めません: { $detail }
import-summary = 追加 { $added } 台、変更 { $changed } 台、変更なし { $unchanged } 台。ファイルにない機器 { $left } 台はそのまま残します
import-dry-run = 確認だけです(--dry-run)。データベースは変更していません
import-done = 台帳を取り込みました
import-failed = { $count } 件の問題があるため、何も取り込んでいません。ファイルを直してからもう一度実行してください
import-unknown-column = 「{ $sheet }」の列『{ $column }』は Mamori の項目にないので、値を備考に残します
import-skipped-sheet = シート「{ $sheet }」には台帳の見出しがないので読みませんでした
import-change = 変更: { $name }({ $fields })
import-add = 追加: { $name }
export-done = 台帳の機器 { $count } 台を { $file } に書き出しました
cli-import = ファイルから取り込む
cli-import-ledger = 機器台帳(xlsx・xls・ods・CSV)を取り込む。すべての行が正しいときだけ書き込む
cli-dry-run = 何も書き込まずに、追加・変更される内容と問題だけを表示する
cli-export = ファイルに書き出す
cli-export-ledger = 機器台帳を Excel(xlsx)に書き出す
cli-assets = 施設の機器を一覧する
cli-file = ファイル
col-name-asset = 機器名
col-kind-asset = 種別

## 院外から入れる入口
field-connection-name = 入口の名前
field-connection-kind = 入口の種類
field-availability = つながっている時間
field-authentication = 本人確認の方法
field-source-restriction = 接続元の制限
field-vendor-name = 事業者名
field-segment-name = ネットワーク区分
field-notes = 備考
rule-unknown-choice = 決められた選択肢から選んでください
conn-kind-vendor-remote = 事業者のリモート保守(VPN など)
conn-kind-site-to-site = 取引先との回線(給食・検査会社など)
conn-kind-remote-reading = 遠隔読影
conn-kind-cloud-ehr = クラウド型電子カルテの回線
conn-kind-online-eligibility = オンライン資格確認の回線
conn-kind-internet = インターネットへの出口
conn-kind-wifi = 無線LAN(Wi-Fi)
conn-kind-other = その他
availability-always-on = 常時接続
availability-on-demand = 必要なときだけつなぐ
availability-unknown = 不明
auth-shared-password = 共有のパスワード
auth-personal-password = 一人ずつのパスワード
auth-two-factor = 二段階認証
auth-certificate = 証明書
auth-unknown = 不明
source-yes = あり
source-no = なし(どこからでもつながる)
source-unknown = 不明
gap-shared-password = 共有パスワード(誰が入ったかわからない)
gap-no-source-restriction = 接続元の制限なし
gap-always-on = 常時接続
gap-old-credentials = パスワードを1年以上変えていない(または変えた日が不明)
gap-unknown-firmware = 入口の機器のファームウェアの版が不明
gap-unknown = わからない項目がある(事業者に確認してください)
conn-lead = 院外から院内のネットワークに入れる入口の一覧です。大阪(2022年)や徳島(2021年)の被害は、一覧になかった保守用VPNから入られました。赤い項目は弱点です。
conn-add = 入口を登録する
conn-empty = 入口はまだ登録されていません。事業者のリモート保守、取引先との回線、クラウドの回線、インターネットへの出口をすべて登録してください。
conn-gap-summary = 入口 { $count } 件のうち { $gaps } 件に弱点があります
conn-device = 入口の機器
conn-gaps = 弱点
conn-no-gaps = 弱点は見つかりません
conn-sources = 接続を許す相手の住所(IPアドレス)
conn-segments = この入口から届くネットワーク
conn-segments-example = 診療系、保守用
conn-credentials-changed = パスワードや証明書を最後に変えた日
conn-last-used = 最後に使われた日
conn-contract = 契約・責任分界
conn-form-lead = わからない項目は「不明」のままにして、事業者に確認してから直してください。
conn-name-example = 電子カルテ業者のリモート保守VPN
conn-no-such-device = 選んだ機器がこの施設の台帳にありません
vendors-title = 事業者
vendors-empty = 事業者はまだ登録されていません。
vendor-phone = 夜間・休日の連絡先(24時間)
vendor-contact = 担当者
vendor-devices = 保守する機器
vendor-add = 事業者を登録する
dash-connections-weak = 弱点のある院外からの入口
dash-vuln-devices = 脆弱性の影響がある機器(要確認を含む)
dash-vuln-no-feed = 脆弱性情報がまだ取り込まれていないため、判定していません
dash-connections-all = 登録されている入口:
cli-connections = 院外から入れる入口(接続点)と弱点を一覧する
import-title = 台帳を Excel から取り込む
import-lead = 機器台帳のファイル(Excel の xlsx・xls、ods、CSV)を選んでください。まず内容を確かめ、追加・変更される機器を表示します。確定するまで何も書き込みません。
import-file = 台帳のファイル
import-check = 内容を確かめる
import-hint = 見出しの行(「機器名」「種別」「IPアドレス」など)が表の上にあれば、題名の行があっても読めます。Mamori にない列は備考に残します。
import-no-file = ファイルが選ばれていません
import-problems-title = 次の問題を直してから、もう一度ファイルを選んでください。何も取り込んでいません。
import-preview-title = 確認:
import-will-add = 追加される機器
import-will-change = 変更される機器
import-confirm = この内容で取り込む
import-cancel = やめる
import-expired = 確認の期限(1時間)が過ぎたか、取り込み済みです。もう一度ファイルを選んでください
import-see-ledger = 台帳を見る
ledger-import = Excel から取り込む
ledger-export = Excel に書き出す

## ネットワークの調査(nmap)
cli-import-nmap = nmap の調査結果(-oX の XML)を台帳と比べ、確認することを残す
error-not-nmap = { $file } は nmap の XML(-oX で保存したもの)ではありません
error-nmap-xml = { $file } の XML が { $position } バイト目で壊れています。nmap の -oX でもう一度保存してください
finding-unknown-host = 台帳にない機器がネットワークにあります: { $host }
finding-not-seen = 台帳の「{ $name }」が調査に応答しませんでした(撤去済みか、電源が切れているか確認してください)
finding-version-seen = 「{ $name }」で { $product } { $version } が見えました(ポート { $port })。台帳の版が空です。正しければ確定してください
finding-risky-service = 「{ $name }」で { $service } が開いています(ポート { $port })。院内で広がる攻撃に使われます。必要か確認してください
service-rdp = リモートデスクトップ(RDP)
service-smb = ファイル共有(SMB)
service-telnet = telnet
service-vnc = 画面共有(VNC)
service-mssql = SQL Server
scan-summary = 応答した機器 { $hosts } 台、確認すること { $findings } 件。画面の台帳で確定・却下できます
findings-title = ネットワークの調査で見つかったこと
findings-confirm = 確定する
findings-acknowledge = 確認した
findings-dismiss = 却下する
asset-serial = シリアル番号
asset-department = 管理部署
asset-remote-method = リモート保守の方法
asset-acquired = 導入日
asset-end-of-support = サポート終了日
asset-version-checked = 版を最後に確認した日
asset-history = 変更の履歴
asset-changed-fields = 変わった項目
action-asset-update = 機器の変更
action-ledger-import = 台帳の取り込み
action-scan-import = ネットワーク調査の取り込み
action-scan-decide = 調査結果の確認
action-connection-create = 入口の登録
action-vendor-create = 事業者の登録
changes-since = この日から
changes-show = 表示する
changes-added = 追加された機器
changes-changed = 変更された機器
changes-unchecked = 版を30日以上確認していない機器
changes-none = ありません
changes-all-checked = すべての機器の版が30日以内に確認されています
changes-never-checked = 確認した記録なし
changes-last-checked = 最後の確認:
ledger-changes = 月次点検(先月からの変化)
ledger-all-kinds = すべての種別
ledger-search = 探す
ledger-search-example = 例: FortiGate、192.168.10、受付
ledger-shown = { $total } 台のうち { $shown } 台を表示
form-problem = 『{ $column }』: { $detail }

## 機器の入力欄
column-name = 機器名
column-kind = 種別
column-roles = 用途(・で区切る)
column-location = 設置場所
column-segment = ネットワーク区分
column-ip = IPアドレス
column-mac = MACアドレス
column-maker = メーカー
column-model = 機種・型番
column-os = OS・ファームウェア
column-version = バージョン
column-serial = シリアル番号
column-department = 管理部署
column-vendor = 保守業者
column-remote = リモート保守(あり・なし・不明)
column-remote-method = リモート保守の方法
column-acquired-on = 導入日
column-end-of-support = サポート終了日
column-version-checked-on = 版を最後に確認した日
column-notes = 備考
asset-add = 機器を登録する
asset-edit = 機器の情報を直す
asset-form-lead = 日付は 2024/4/1 や 令和6年4月1日 のように書けます。わからない項目は空のままにしてください。
asset-saved = 保存しました
sheet-connections = 院外との接続点
sheet-vendors = 事業者
segments-title = ネットワーク区分
segments-lead = 院内ネットワークの区分(診療系・業務系・保守用など)と、区分どうしで許している通信です。台帳の「ネットワーク区分」と同じ名前で登録してください。
segments-empty = ネットワーク区分はまだ登録されていません。
segments-zone = 区分の種類
segments-devices = 台帳の機器
segments-flows = 許している通信
segments-no-flows = 区分どうしの通信はまだ登録されていません。
segments-add = ネットワーク区分を登録する
segments-example = 診療系
segments-add-flow = 通信を登録する
segments-from = 通信元
segments-to = 通信先
segments-flow-note = 内容(例: 電子カルテの閲覧のみ)
segments-choose-both = 通信元と通信先の区分を選んでください
segments-flow-exists = その通信はすでに登録されています
zone-clinical = 診療系
zone-business = 業務系
zone-maintenance = 保守用
zone-dmz = DMZ
zone-guest = ゲスト・来客用
zone-other = その他
action-segment-create = ネットワーク区分の登録
action-segment-flow = 区分間の通信の登録
ledger-segments = ネットワーク区分
asset-retire = 撤去した(台帳から外す)
asset-retire-hint = 撤去した機器は一覧から消えますが、履歴は監査ログに残り、「先月からの変化」に出ます。
changes-removed = 撤去された機器
nav-review = 月次点検
review-title = 月次点検
review-lead = { $since } から { $today } までの変化です。毎月一度は、機器の一覧と更新の状況を確かめてください(大阪急性期・総合医療センターの事案の報告書より)。
review-print-hint = ブラウザの「印刷」で、この一覧を点検の記録として印刷・PDF 保存できます。
review-printed-on = Mamori で { $when } に作成
review-no-feed = 脆弱性情報(NVD)が取り込まれていないため、脆弱性の変化は判定できません。「問題がない」という意味ではありません。
review-kev-hits = 新たに KEV に載り、台帳の機器が該当する脆弱性
review-kev-hits-none = この期間に KEV に載った脆弱性で、台帳の機器が該当するものはありません
review-kev-hit = { $cve }(KEV 追加 { $added }、いま { $status })
review-opened = 新たに見つかった脆弱性の所見
review-closed = 修正を確認した所見
review-acceptances = リスク受け入れの期限が来た・近い所見
review-acceptance-ends = { $cve }: 受け入れは { $until } まで。見直してください
review-acceptance-ended = { $cve }: 受け入れの期限 { $until } を過ぎ、未対応に戻りました
review-since-invalid = 『この日から』「{ $value }」は日付として読めません(例: 2026-11-01、令和8年11月1日)。1 か月前から表示しています
review-since-future = 『この日から』に先の日付は使えません。1 か月前から表示しています
action-asset-retire = 機器の撤去
conn-edit = 入口の情報を直す
action-connection-update = 入口の変更

## 脆弱性の情報(フィード)
cli-feeds = 脆弱性の情報(フィード)を扱う
cli-feeds-import = KEV(CISA の悪用が確認された脆弱性の一覧、JSON か CSV)を取り込む。ファイルごとに、すべて正しいときだけ書き込む
error-not-kev = { $file } は KEV の JSON でも CSV でもありません
error-kev-json = { $file } の JSON が { $line } 行目 { $column } 文字目で読めません
error-kev-entry = { $file } の { $index } 件目の「{ $field }」の値「{ $value }」が正しくありません。何も取り込んでいません
feed-kev-done = { $file }(KEV { $version }): 追加 { $added } 件、変更 { $changed } 件、変更なし { $unchanged } 件
feed-kev-ransomware = ランサムウェアでの悪用が確認された脆弱性 { $count } 件: { $list }{ $more ->
    [0] {""}
   *[other] {" "}ほか { $more } 件
}
feed-older = { $file }(KEV { $version })は、取り込み済みの { $stored } より古いので何も変えていません
action-feed-import = 脆弱性情報の取り込み
cli-vulns = 台帳の機器を、取り込んだ NVD と KEV の情報と照合する
cli-review = 月次点検: 指定した日からの変化(新たな KEV、見つかった・修正した脆弱性、機器の追加・変更・撤去、版を確認していない機器)
cli-review-since = この日からの変化(例: 2026-11-01、令和8年11月1日)。省略すると 1 か月前から
error-since-invalid = --since「{ $value }」は日付として読めません(例: 2026-11-01、令和8年11月1日)
error-since-future = --since に先の日付は使えません
error-not-feed = { $file } は KEV(JSON・CSV)でも NVD(CVE API 2.0 の JSON)でも JVN iPedia(MyJVN の VULDEF・JVNRSS の XML、OKA の JSON)でもありません
error-feed-damaged = { $file } は { $format } で圧縮されていますが、壊れているか途中で切れています({ $detail })。ダウンロードし直してください。何も取り込んでいません
error-feed-too-large = { $file } は展開すると { $gib } GiB を超えます。年ごとのファイルに分けて取り込んでください。何も取り込んでいません
error-nvd-cpe = { $file } の { $id } に読めない CPE 名があります: { $criteria }。何も取り込んでいません
feed-nvd-done = { $file }(NVD): 追加 { $added } 件、変更 { $changed } 件、変更なし { $unchanged } 件
feed-nvd-older = NVD で後から更新された記録を既に持っている CVE { $count } 件は、古い内容に戻さずそのままにしました
feed-jvn-done = { $file }(JVN iPedia): 追加 { $added } 件、変更 { $changed } 件、変更なし { $unchanged } 件
feed-jvn-older = JVN で後から更新された内容を既に持っている項目 { $count } 件は、古い内容に戻さずそのままにしました
error-jvn-xml = { $file } は JVN の XML として読めません({ $position } バイト目が壊れているか、途中で切れています)。ダウンロードし直してください。何も取り込んでいません
error-jvn-entry = { $file } の { $index } 件目に『{ $field }』(JVNDB 番号)がありません。何も取り込んでいません
vuln-cve = CVE
vuln-outcome = 判定
vuln-kev = KEV 追加日
vuln-ransomware = ランサムウェア
vuln-cvss = CVSS
vuln-affected = 影響あり
vuln-needs-review = 要確認
vuln-not-affected = 影響なし
vuln-none = 取り込んだ { $cves } 件の CVE に、台帳の機器で影響があるものは見つかりませんでした
vuln-unmatched = 「{ $name }」は製品を特定できないので照合していません(メーカー・機種・OS を台帳に書いてください)
vuln-unmatched-windows = 「{ $name }」は Windows のビルド番号(例: 10.0.19045.4170。「設定 → システム → バージョン情報」の「OS ビルド」)が台帳にないため、悪用が確認された脆弱性と照合していません。安全という意味ではありません
vuln-unmatched-group = 次の機器は製品を特定できないので照合していません。メーカー・機種・OS(ファームウェア)と版数を台帳に書いてください。安全という意味ではありません:
vuln-unmatched-windows-group = 次の機器は Windows のビルド番号(例: 10.0.19045.4170。「設定 → システム → バージョン情報」の「OS ビルド」)が台帳にないため、悪用が確認された脆弱性と照合していません。安全という意味ではありません:
vuln-edge = 外部接続
vuln-todo = すること
vuln-page-lead = 台帳の機器を、この環境に取り込んだ脆弱性情報(CISA KEV・NVD・JVN iPedia)と照合した結果です。インターネットには接続せずに判定しています。外部からの入口になっている機器で、実際の攻撃に使われている穴を上に並べています。
vuln-no-feed = 脆弱性情報(NVD)がまだ取り込まれていないため、判定できません。「安全」という意味ではありません。管理者が mamori feeds import で KEV と NVD のファイルを取り込むと、ここに結果が表示されます。
vuln-summary = 対応が必要な機器が { $devices } 台あります(未対応 { $affected } 件、要確認・リスク受け入れ中 { $review } 件)
vuln-do-affected = { $vendor } に連絡して修正版に更新してもらい、台帳の版数を書き換えてください。書き換えると自動で「修正済み」になります。
vuln-do-review = 台帳に版数がない、または読めないため判定できません。{ $vendor } に機器の版数を確認してもらい、台帳に書いてください。
vuln-vendor-unknown = 保守業者(台帳に未記入)
vuln-kev-dates = { $added }(対応期限 { $due })
vuln-edge-badge = 外部からの入口
vuln-ransomware-badge = ランサムウェアで悪用
vuln-not-kev = 悪用の報告なし
vuln-unmatched-title = 照合できなかった機器
vuln-asset-unmatched = この機器は製品を特定できないため、脆弱性と照合していません。メーカー・機種・OS(ファームウェア)と版数を台帳に書くと照合します。安全という意味ではありません
vuln-unreadable = 保存されている NVD の記録 { $count } 件をこの版の Mamori が読めません。NVD のファイルを取り込み直してください
vuln-harm = 攻撃者にできること
vuln-harm-credentials = 機器の中のパスワードやログイン中のセッションを盗み出せます。修正版にしても、盗まれたパスワードやセッションで入られるおそれが残ります。
vuln-harm-takeover = インターネット側から機器を乗っ取り、院内のネットワークに入り込めるおそれがあります。
vuln-harm-reads = 機器の中のファイルや情報(設定やパスワードを含む)を読み取れるおそれがあります。
vuln-harm-bypass = パスワードなしで、または権限を越えて機器を操作できるおそれがあります。
vuln-harm-unknown = 詳しい影響は CVE 番号で JVN iPedia などを確認してください。実際の攻撃に使われていれば KEV 欄に表示されます。
vuln-do-credentials = 修正版に更新したうえで、この機器で使うパスワード(VPN 利用者・管理者・保守用)をすべて変更し、接続中のセッションを切断してください。{ $vendor } に依頼できます。済んだら変更した日をここか接続点に記録してください。
vuln-fixed-title = 修正済み
vuln-evaluated-at = 最後に判定した日時: { $when }(NVD・JVN の記録 { $cves } 件と照合)
finding-status = 状態
finding-status-open = 未対応
finding-status-needs-review = 要確認
finding-status-accepted = リスク受け入れ中
finding-status-fixed = 修正済み
finding-kind-credentials = パスワードとセッションの変更が必要
finding-opened-at = 見つかった日時
finding-closed-at = 修正を確認した日時
finding-accepted-by = { $by } が受け入れ({ $until } まで): { $reason }
finding-credentials-changed = パスワードを変更した日
finding-history = 経過
finding-event-opened = 見つかりました({ $outcome })
finding-event-reopened = 再び見つかりました({ $outcome })
finding-event-outcome = 判定が変わりました({ $outcome })
finding-event-fixed = 修正を確認しました(台帳の版数が対象外になりました)
finding-event-accepted = リスクを受け入れました({ $until } まで): { $reason }
finding-event-withdrawn = リスクの受け入れを取り消しました
finding-event-credentials-changed = パスワードとセッションの変更を記録しました({ $date })
finding-credentials-title = パスワードとセッションを変更した
finding-credentials-hint = 修正版に更新した後に、この機器のパスワードをすべて変更し、セッションを切断した日を記録します。更新より後の日付なら、この所見は閉じます。
finding-credentials-date = 変更した日
finding-credentials-submit = 記録する
finding-accept-title = リスクを受け入れる(院長・管理者)
finding-accept-hint = すぐに更新できない理由と、いつまでに見直すかを記録します。最長 1 年です。期限を過ぎると「未対応」に戻ります。
finding-reason = 理由(何で補うかも)
finding-until = 見直す期限
finding-accept-submit = 受け入れる
finding-withdraw-submit = 受け入れを取り消す
finding-reason-missing = 『理由』を書いてください(すぐに更新できない理由と、代わりにしている対策)
finding-reason-long = 『理由』は 1000 文字までにしてください
finding-until-invalid = 『見直す期限』「{ $value }」は日付として読めません(例: 2027-03-31)
finding-until-past = 『見直す期限』は今日以降の日付にしてください
finding-until-far = 『見直す期限』は 1 年以内にしてください。長く受け入れるときは、期限に見直して受け入れ直します
finding-date-invalid = 『変更した日』「{ $value }」は日付として読めません(例: 2026-11-30)
finding-date-future = 『変更した日』に先の日付は書けません。変更が済んでから記録してください
findings-evaluated = { $facility }: 脆弱性の所見を判定し直しました(新たに { $opened } 件、修正を確認 { $closed } 件)
