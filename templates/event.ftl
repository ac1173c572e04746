<#-- Event alerts, errors and the legacy WebHooks plugin. Model: body = the alert,
     variables.robot = the robot, variables.dingtalkTitle = the message title. -->
<#import "_lines.ftl" as l>
<#assign a = body>
### ${variables.dingtalkTitle}

<@l.project a/><@l.env a/><@l.level a/><@l.location a/><@l.tags a variables.robot/>
<#if a.message?? && a.message != a.title>

${quote(a.message)}
</#if>
<#if a.triggeringRule??>

📢 **Trigger**: ${a.triggeringRule}
</#if>
<@l.link a "View Issue on Sentry"/>
