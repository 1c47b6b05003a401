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
page-home-title = 登録されている施設
page-home-lead = この Mamori に登録されている医療機関です。
page-home-empty = 施設はまだ登録されていません。サーバーで「mamori facility add」を実行して登録してください。
page-home-count = { $count } 施設
page-footer = Mamori { $version } — 外部に接続せずに動きます
page-not-found = ページが見つかりません
page-error = エラーが起きました。操作ID { $id } を添えて管理者に連絡してください
lang-switch = English
beds-none = —
