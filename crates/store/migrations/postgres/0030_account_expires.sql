-- The day an account stops working (`net user`'s アカウントの期限, PowerShell's AccountExpires):
-- an account past it is not usable, whatever its enabled flag says. ISO text, NULL: never.
ALTER TABLE system_account ADD COLUMN expires TEXT;
