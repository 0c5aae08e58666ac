; Inno Setup 6 script for MotCua: turns dist\MotCua (python dev.py build) into one
; MotCua-Setup-<version>.exe that a clerk can run without administrator rights.
;
;   "C:\Program Files (x86)\Inno Setup 6\ISCC.exe" /DAppVersion=1.1.0 installer\MotCua.iss
;
; The result is written to dist\installer\. See docs\build-windows.md.
; Saved as UTF-8 with BOM so Inno Setup 6 reads the Vietnamese shortcut names correctly.
;
; Data safety: the program goes to the program folder; the clerk's data stays in
; %LOCALAPPDATA%\MotCua (database, backups, logs). Installing a new version replaces only the
; program folder, and uninstalling never deletes the data folder.

#ifndef AppVersion
  #define AppVersion "1.1.0"
#endif
#define AppName "MotCua"
#define AppExe "MotCua.exe"
#define Dist "..\dist\MotCua"

[Setup]
; Never change AppId: Windows recognises updates of the same program by it.
AppId={{5B0C8E57-2F4A-4B8D-9C61-6D3A1E0F4C2B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=MotCua
VersionInfoVersion={#AppVersion}
VersionInfoDescription=MotCua - Phần mềm một cửa
; Per-user install (no administrator rights needed: {autopf} is then
; %LOCALAPPDATA%\Programs); an administrator may choose all users in the dialog.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
SetupIconFile=..\resources\icons\motcua.ico
OutputDir=..\dist\installer
OutputBaseFilename=MotCua-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Windows 10 or newer (Python 3.11 and Qt 6 need it), 64-bit.
MinVersion=10.0
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Close a running MotCua before replacing its files, and start it again afterwards.
CloseApplications=yes
RestartApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; Libraries of the previous version must not linger next to the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#Dist}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\MotCua"; Filename: "{app}\{#AppExe}"
Name: "{group}\MotCua - Màn hình đánh giá (kiosk)"; Filename: "{app}\{#AppExe}"; Parameters: "kiosk"
Name: "{group}\MotCua - Tự kiểm tra"; Filename: "{cmd}"; Parameters: "/k ""{app}\MotCua-console.exe"" selftest"
Name: "{group}\{cm:UninstallProgram,MotCua}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\MotCua"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,MotCua}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] entry for %LOCALAPPDATA%\MotCua on purpose: removing the program must
; never remove the office's records.
